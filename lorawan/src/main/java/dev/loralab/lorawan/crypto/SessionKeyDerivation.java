package dev.loralab.lorawan.crypto;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.LoRaWanException;
import dev.loralab.lorawan.NetId;
import dev.loralab.lorawan.crypto.internal.Aes128;

/**
 * Derivation of session keys from root keys at join (LoRaWAN 1.0.2 §6.2.5; 1.1 §6.2.3) and of
 * the 1.1 join-server lifetime keys (1.1 §6.1.1.4). Each key is one AES-128 encryption of a
 * type byte followed by little-endian fields, zero-padded to 16 bytes.
 */
public final class SessionKeyDerivation {

  private SessionKeyDerivation() {}

  /**
   * LoRaWAN 1.0.x session keys: {@code NwkSKey = AES(AppKey, 0x01 | AppNonce | NetID | DevNonce
   * | pad16)}, {@code AppSKey} with type 0x02. A 1.1 device joining a 1.0 network (OptNeg=0)
   * uses its NwkKey here.
   */
  public static SessionKeys10 derive10(AesKey appKeyOrNwkKey, JoinNonce joinNonce, NetId netId,
      DevNonce devNonce) {
    CryptoBlocks.requireKey(appKeyOrNwkKey, "AppKey");
    requireNonNull(joinNonce, "JoinNonce");
    requireNonNull(netId, "NetID");
    requireNonNull(devNonce, "DevNonce");
    byte[] block = new byte[16];
    joinNonce.writeLittleEndian(block, 1);
    netId.writeLittleEndian(block, 4);
    devNonce.writeLittleEndian(block, 7);
    return new SessionKeys10(derive(appKeyOrNwkKey, 0x01, block),
        derive(appKeyOrNwkKey, 0x02, block));
  }

  /**
   * LoRaWAN 1.1 session keys (OptNeg=1): type bytes 0x01 FNwkSIntKey, 0x03 SNwkSIntKey, 0x04
   * NwkSEncKey under the NwkKey and 0x02 AppSKey under the AppKey, over
   * {@code JoinNonce | JoinEUI | DevNonce | pad16}. After a rejoin, pass RJcount0/RJcount1 as
   * {@code devNonce}.
   */
  public static SessionKeys11 derive11(AesKey nwkKey, AesKey appKey, JoinNonce joinNonce,
      Eui64 joinEui, DevNonce devNonce) {
    CryptoBlocks.requireKey(nwkKey, "NwkKey");
    CryptoBlocks.requireKey(appKey, "AppKey");
    requireNonNull(joinNonce, "JoinNonce");
    requireNonNull(joinEui, "JoinEUI");
    requireNonNull(devNonce, "DevNonce");
    byte[] block = new byte[16];
    joinNonce.writeLittleEndian(block, 1);
    joinEui.writeLittleEndian(block, 4);
    devNonce.writeLittleEndian(block, 12);
    return new SessionKeys11(
        derive(nwkKey, 0x01, block),
        derive(nwkKey, 0x03, block),
        derive(nwkKey, 0x04, block),
        derive(appKey, 0x02, block));
  }

  /** JSIntKey = AES(NwkKey, 0x06 | DevEUI | pad16): 1.1 join-accept and rejoin type 1 MICs. */
  public static AesKey jsIntKey(AesKey nwkKey, Eui64 devEui) {
    return lifetimeKey(nwkKey, devEui, 0x06);
  }

  /** JSEncKey = AES(NwkKey, 0x05 | DevEUI | pad16): encrypts join-accepts answering rejoins. */
  public static AesKey jsEncKey(AesKey nwkKey, Eui64 devEui) {
    return lifetimeKey(nwkKey, devEui, 0x05);
  }

  private static AesKey lifetimeKey(AesKey nwkKey, Eui64 devEui, int type) {
    CryptoBlocks.requireKey(nwkKey, "NwkKey");
    requireNonNull(devEui, "DevEUI");
    byte[] block = new byte[16];
    devEui.writeLittleEndian(block, 1);
    return derive(nwkKey, type, block);
  }

  private static AesKey derive(AesKey rootKey, int type, byte[] block) {
    block[0] = (byte) type;
    byte[] out = new byte[16];
    Aes128.encryptBlock(rootKey, block, 0, out, 0);
    return AesKey.of(out);
  }

  private static void requireNonNull(Object value, String field) {
    if (value == null) {
      throw new LoRaWanException(field, "a value", "null");
    }
  }
}
