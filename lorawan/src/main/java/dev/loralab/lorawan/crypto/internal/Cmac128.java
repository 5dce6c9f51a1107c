package dev.loralab.lorawan.crypto.internal;

import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** AES-128 CMAC (RFC 4493) on raw bytes, backed by Bouncy Castle. */
public final class Cmac128 {

  private Cmac128() {}

  /** The full 16-byte CMAC of the concatenation of {@code prefix} and {@code msg[off, off+len)}. */
  public static byte[] compute(byte[] key, byte[] prefix, byte[] msg, int off, int len) {
    CMac mac = new CMac(AESEngine.newInstance());
    mac.init(new KeyParameter(key));
    if (prefix != null) {
      mac.update(prefix, 0, prefix.length);
    }
    mac.update(msg, off, len);
    byte[] out = new byte[16];
    mac.doFinal(out, 0);
    return out;
  }
}
