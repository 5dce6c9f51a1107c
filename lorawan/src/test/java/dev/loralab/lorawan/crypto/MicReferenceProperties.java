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
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Every MIC against its definition computed the way the crypto layer did before its per-thread
 * AES: the B0/B1 block built as bytes ({@link CryptoBlocks#block}) and a Bouncy Castle CMAC
 * with a fresh engine. The range overloads must equal the copying ones.
 */
class MicReferenceProperties {

  @Provide
  Arbitrary<AesKey> keys() {
    return Arbitraries.bytes().array(byte[].class).ofSize(16).map(AesKey::of);
  }

  static byte[] cmac(AesKey key, byte[] prefix, byte[] msg) {
    CMac mac = new CMac(AESEngine.newInstance());
    mac.init(new KeyParameter(key.toBytes()));
    if (prefix != null) {
      mac.update(prefix, 0, prefix.length);
    }
    mac.update(msg, 0, msg.length);
    byte[] out = new byte[16];
    mac.doFinal(out, 0);
    return out;
  }

  @Property
  void dataMicsEqualTheirDefinition(@ForAll("keys") AesKey k1, @ForAll("keys") AesKey k2,
      @ForAll int devAddr, @ForAll @LongRange(max = FCnt.MAX) long fCnt,
      @ForAll @IntRange(max = 0xFFFF) int confFCnt, @ForAll @IntRange(max = 0xFF) int txDr,
      @ForAll @IntRange(max = 0xFF) int txCh, @ForAll @Size(max = 255) byte[] msg,
      @ForAll @IntRange(max = 9) int off) {
    DevAddr addr = new DevAddr(devAddr);
    byte[] b0 = CryptoBlocks.block(0x49, 0, 0, 0, 0, true, addr, fCnt, msg.length);
    byte[] b1 = CryptoBlocks.block(0x49, confFCnt, confFCnt >>> 8, txDr, txCh, true, addr, fCnt,
        msg.length);
    byte[] down = CryptoBlocks.block(0x49, confFCnt, confFCnt >>> 8, 0, 0, false, addr, fCnt,
        msg.length);
    Mic up10 = Mic.of(cmac(k1, b0, msg), 0);
    byte[] s = cmac(k1, b1, msg);
    byte[] f = cmac(k2, b0, msg);
    Mic up11 = Mic.of(new byte[] {s[0], s[1], f[0], f[1]}, 0);
    Mic dn = Mic.of(cmac(k1, down, msg), 0);

    assertThat(Mics.dataUplinkMic10(k1, addr, fCnt, msg)).isEqualTo(up10);
    assertThat(Mics.dataUplinkMic11(k1, k2, confFCnt, txDr, txCh, addr, fCnt, msg))
        .isEqualTo(up11);
    assertThat(Mics.dataDownlinkMic(k1, addr, fCnt, confFCnt, msg)).isEqualTo(dn);

    // the range overloads over a frame with bytes before and after the message
    byte[] frame = new byte[off + msg.length + Mic.SIZE];
    Arrays.fill(frame, (byte) 0xA5);
    System.arraycopy(msg, 0, frame, off, msg.length);
    assertThat(Mics.dataUplinkMic10(k1, addr, fCnt, frame, off, msg.length)).isEqualTo(up10);
    assertThat(Mics.dataUplinkMic11(k1, k2, confFCnt, txDr, txCh, addr, fCnt, frame, off,
        msg.length)).isEqualTo(up11);
  }

  @Property
  void joinMicsEqualTheirDefinition(@ForAll("keys") AesKey key, @ForAll long joinEui,
      @ForAll @IntRange(max = 0xFFFF) int devNonce, @ForAll @Size(min = 1, max = 40) byte[] msg) {
    assertThat(Mics.joinRequestMic(key, msg)).isEqualTo(Mic.of(cmac(key, null, msg), 0));
    assertThat(Mics.joinAcceptMic10(key, msg)).isEqualTo(Mic.of(cmac(key, null, msg), 0));
    byte[] prefix = new byte[11];
    prefix[0] = (byte) 0xFF;
    new Eui64(joinEui).writeLittleEndian(prefix, 1);
    new DevNonce(devNonce).writeLittleEndian(prefix, 9);
    assertThat(Mics.joinAcceptMic11(key, 0xFF, new Eui64(joinEui), new DevNonce(devNonce), msg))
        .isEqualTo(Mic.of(cmac(key, prefix, msg), 0));
  }

  @Property
  void rangeOverloadsRejectRangesOutsideTheFrame(@ForAll("keys") AesKey key,
      @ForAll @Size(max = 40) byte[] frame, @ForAll @IntRange(min = -2, max = 50) int off,
      @ForAll @IntRange(min = -2, max = 50) int len) {
    boolean inside = off >= 0 && len >= 0 && off + len <= frame.length;
    DevAddr addr = new DevAddr(1);
    if (inside) {
      assertThat(Mics.dataUplinkMic10(key, addr, 1, frame, off, len))
          .isEqualTo(Mics.dataUplinkMic10(key, addr, 1, Arrays.copyOfRange(frame, off, off + len)));
    } else {
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> Mics.dataUplinkMic10(key, addr, 1, frame, off, len))
          .isInstanceOf(dev.loralab.lorawan.LoRaWanException.class);
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> Mics.dataUplinkMic11(key, key, 0, 0, 0, addr, 1, frame, off, len))
          .isInstanceOf(dev.loralab.lorawan.LoRaWanException.class);
    }
  }
}
