package dev.loralab.lorawan.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.FCnt;
import dev.loralab.lorawan.Mic;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the crypto layer: encryption round-trips, and any one-bit change of a frame
 * fails its MIC when the receiver re-reads DevAddr and FCnt from the (changed) frame.
 */
class CryptoProperties {

  @Provide
  Arbitrary<AesKey> keys() {
    return Arbitraries.bytes().array(byte[].class).ofSize(16).map(AesKey::of);
  }

  // ---- decrypt(encrypt(x)) == x ----

  @Property
  void frmPayloadRoundTrips(@ForAll("keys") AesKey key, @ForAll boolean uplink,
      @ForAll int devAddr, @ForAll @LongRange(max = FCnt.MAX) long fCnt,
      @ForAll @Size(max = 250) byte[] payload) {
    DevAddr addr = new DevAddr(devAddr);
    byte[] cipher = PayloadCipher.frmPayload(key, uplink, addr, fCnt, payload);
    assertThat(cipher).hasSameSizeAs(payload);
    assertThat(PayloadCipher.frmPayload(key, uplink, addr, fCnt, cipher)).isEqualTo(payload);
  }

  @Property
  void fOptsRoundTrip(@ForAll("keys") AesKey key, @ForAll boolean uplink,
      @ForAll boolean nFCntDown, @ForAll int devAddr, @ForAll @LongRange(max = FCnt.MAX) long fCnt,
      @ForAll @Size(max = 15) byte[] fOpts) {
    DevAddr addr = new DevAddr(devAddr);
    byte[] cipher = PayloadCipher.fOpts11(key, uplink, addr, fCnt, nFCntDown, fOpts);
    assertThat(cipher).hasSameSizeAs(fOpts);
    assertThat(PayloadCipher.fOpts11(key, uplink, addr, fCnt, nFCntDown, cipher)).isEqualTo(fOpts);
  }

  @Property
  void fOptsKeyStreamsDifferPerDownlinkCounter(@ForAll("keys") AesKey key, @ForAll int devAddr,
      @ForAll @LongRange(max = FCnt.MAX) long fCnt) {
    // errata: the constants 0x01 (NFCntDwn) and 0x02 (AFCntDwn) separate the two key streams
    byte[] zeros = new byte[15];
    DevAddr addr = new DevAddr(devAddr);
    assertThat(PayloadCipher.fOpts11(key, false, addr, fCnt, true, zeros))
        .isNotEqualTo(PayloadCipher.fOpts11(key, false, addr, fCnt, false, zeros));
  }

  @Property
  void joinAcceptRoundTrips(@ForAll("keys") AesKey key, @ForAll boolean withCfList,
      @ForAll @Size(32) byte[] bytes) {
    byte[] body = withCfList ? bytes : Arrays.copyOf(bytes, 16);
    byte[] cipher = PayloadCipher.joinAcceptEncrypt(key, body);
    assertThat(cipher).hasSameSizeAs(body);
    assertThat(PayloadCipher.joinAcceptDecrypt(key, cipher)).isEqualTo(body);
  }

  // ---- any one-bit change fails the MIC ----

  /** Session state of a receiver: keys, last FCnt; frames are built with FOptsLen 0. */
  record Session(AesKey k1, AesKey k2, DevAddr devAddr, long lastFCnt, int confFCnt, int txDr,
      int txCh) {}

  @Provide
  Arbitrary<Session> sessions() {
    return net.jqwik.api.Combinators.combine(keys(), keys(), Arbitraries.integers(),
            Arbitraries.longs().between(0, FCnt.MAX - 70_000), Arbitraries.integers().between(0, 0xFFFF),
            Arbitraries.integers().between(0, 15), Arbitraries.integers().between(0, 255))
        .as((a, b, addr, last, conf, dr, ch) -> new Session(a, b, new DevAddr(addr), last, conf, dr, ch));
  }

  enum DataKind { UP_1_0, UP_1_1, DOWN }

  @Property
  void oneBitChangeOfADataFrameFailsItsMic(@ForAll("sessions") Session s, @ForAll DataKind kind,
      @ForAll @IntRange(min = 1, max = 60_000) int advance, @ForAll @Size(max = 64) byte[] frm,
      @ForAll @IntRange(min = 0, max = 10_000) int bitSeed) {
    long fCnt = s.lastFCnt() + advance;
    byte[] msg = new byte[8 + 1 + frm.length];
    msg[0] = (byte) (kind == DataKind.DOWN ? 0x60 : 0x40);
    s.devAddr().writeLittleEndian(msg, 1);
    msg[5] = 0; // FCtrl: no FOpts
    msg[6] = (byte) fCnt;
    msg[7] = (byte) (fCnt >>> 8);
    msg[8] = 1; // FPort
    System.arraycopy(frm, 0, msg, 9, frm.length);
    byte[] phy = Arrays.copyOf(msg, msg.length + 4);
    dataMic(s, kind, s.devAddr(), fCnt, msg).write(phy, msg.length);
    assertThat(dataMicValid(s, kind, phy)).isTrue();

    int bit = bitSeed % (phy.length * 8);
    phy[bit / 8] ^= (byte) (1 << (bit % 8));
    assertThat(dataMicValid(s, kind, phy)).as("bit %d flipped", bit).isFalse();
  }

  private static boolean dataMicValid(Session s, DataKind kind, byte[] phy) {
    byte[] msg = Arrays.copyOf(phy, phy.length - 4);
    DevAddr devAddr = DevAddr.readLittleEndian(phy, 1);
    int fCnt16 = (phy[6] & 0xFF) | (phy[7] & 0xFF) << 8;
    long fCnt = FCnt.reconstruct(s.lastFCnt(), fCnt16);
    return Mics.equalsConstantTime(dataMic(s, kind, devAddr, fCnt, msg), Mic.of(phy, phy.length - 4));
  }

  private static Mic dataMic(Session s, DataKind kind, DevAddr devAddr, long fCnt, byte[] msg) {
    return switch (kind) {
      case UP_1_0 -> Mics.dataUplinkMic10(s.k1(), devAddr, fCnt, msg);
      case UP_1_1 -> Mics.dataUplinkMic11(s.k1(), s.k2(), s.confFCnt(), s.txDr(), s.txCh(), devAddr, fCnt, msg);
      case DOWN -> Mics.dataDownlinkMic(s.k1(), devAddr, fCnt, s.confFCnt(), msg);
    };
  }

  @Property
  void oneBitChangeOfAJoinRequestFailsItsMic(@ForAll("keys") AesKey key,
      @ForAll @Size(18) byte[] body, @ForAll @IntRange(min = 0, max = 183) int bit) {
    byte[] msg = new byte[19];
    System.arraycopy(body, 0, msg, 1, 18);
    byte[] phy = Arrays.copyOf(msg, 23);
    Mics.joinRequestMic(key, msg).write(phy, 19);
    phy[bit / 8] ^= (byte) (1 << (bit % 8));
    assertThat(Mics.joinRequestMic(key, Arrays.copyOf(phy, 19))).isNotEqualTo(Mic.of(phy, 19));
  }

  @Property
  void oneBitChangeOfAJoinAcceptFailsItsMic(@ForAll("keys") AesKey key, @ForAll boolean v11,
      @ForAll boolean withCfList, @ForAll @Size(28) byte[] fields, @ForAll long joinEui,
      @ForAll @IntRange(max = 0xFFFF) int devNonce, @ForAll @IntRange(min = 0, max = 10_000) int bitSeed) {
    int bodyLength = withCfList ? 32 : 16;
    byte[] msg = new byte[1 + bodyLength - 4];
    msg[0] = 0x20;
    System.arraycopy(fields, 0, msg, 1, msg.length - 1);
    Mic mic = joinAcceptMic(key, v11, new Eui64(joinEui), new DevNonce(devNonce), msg);
    byte[] body = Arrays.copyOfRange(msg, 1, msg.length + 4);
    mic.write(body, body.length - 4);
    byte[] phy = new byte[1 + bodyLength];
    phy[0] = msg[0];
    System.arraycopy(PayloadCipher.joinAcceptEncrypt(key, body), 0, phy, 1, bodyLength);

    int bit = bitSeed % (phy.length * 8);
    phy[bit / 8] ^= (byte) (1 << (bit % 8));
    byte[] plain = PayloadCipher.joinAcceptDecrypt(key, Arrays.copyOfRange(phy, 1, phy.length));
    byte[] received = new byte[msg.length];
    received[0] = phy[0];
    System.arraycopy(plain, 0, received, 1, msg.length - 1);
    Mic computed = joinAcceptMic(key, v11, new Eui64(joinEui), new DevNonce(devNonce), received);
    assertThat(Mics.equalsConstantTime(computed, Mic.of(plain, bodyLength - 4))).isFalse();
  }

  private static Mic joinAcceptMic(AesKey key, boolean v11, Eui64 joinEui, DevNonce devNonce, byte[] msg) {
    return v11 ? Mics.joinAcceptMic11(key, 0xFF, joinEui, devNonce, msg) : Mics.joinAcceptMic10(key, msg);
  }

  // ---- FCnt ----

  @Property
  void fCntReconstructsAnyForwardStepBelow2To16(@ForAll @LongRange(max = FCnt.MAX - 0x10000) long last,
      @ForAll @IntRange(min = 0, max = 0xFFFF) int step) {
    long next = last + step;
    assertThat(FCnt.reconstruct(last, (int) (next & 0xFFFF))).isEqualTo(next);
  }
}
