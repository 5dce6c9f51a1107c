package dev.loralab.lorawan.frame;

import dev.loralab.lorawan.Bytes;
import dev.loralab.lorawan.LoRaWanException;

/**
 * A join-accept as received: {@code MHDR | encrypted(16 or 32 bytes)}. The MIC is inside the
 * encrypted part (LoRaWAN 1.1 §6.2.3), so it cannot be read without the key. Decrypt
 * {@link #encrypted()} and pass {@code MHDR | plaintext} to
 * {@link PhyPayloadCodec#decodeJoinAccept(byte[])}.
 *
 * @param encrypted the 16 or 32 bytes after MHDR
 */
public record EncryptedJoinAccept(Bytes encrypted) implements PhyPayload {

  /** Validates the length. */
  public EncryptedJoinAccept {
    Fields.notNull(encrypted, "JoinAccept.encrypted");
    if (encrypted.length() != 16 && encrypted.length() != 32) {
      throw new LoRaWanException("JoinAccept.encrypted", "16 or 32 bytes", encrypted.length() + " bytes");
    }
  }

  @Override
  public MType mType() {
    return MType.JOIN_ACCEPT;
  }
}
