package dev.loralab.lorawan.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.HexBytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The per-thread AES-128 and CMAC of this package against a fresh Bouncy Castle engine per call
 * (the implementation they replace): arbitrary keys and messages, keys alternating on one thread
 * (the cached key schedule and CMAC subkeys must follow every change), and several threads at
 * once (no state may leak between them).
 */
class Aes128ReferenceProperties {

  // ---- references: a new Bouncy Castle engine and key schedule per call ----

  static byte[] referenceEncrypt(byte[] key, byte[] block) {
    BlockCipher engine = AESEngine.newInstance();
    engine.init(true, new KeyParameter(key));
    byte[] out = new byte[16];
    engine.processBlock(block, 0, out, 0);
    return out;
  }

  static byte[] referenceCmac(byte[] key, byte[] prefix, byte[] msg, int off, int len) {
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

  static byte[] referenceKeyStream(byte[] key, byte[] a, byte[] data) {
    byte[] block = a.clone();
    byte[] out = new byte[data.length];
    for (int i = 0; i < data.length; i += 16) {
      block[15] = (byte) (i / 16 + 1);
      byte[] s = referenceEncrypt(key, block);
      for (int j = 0; j < Math.min(16, data.length - i); j++) {
        out[i + j] = (byte) (data[i + j] ^ s[j]);
      }
    }
    return out;
  }

  @Provide
  Arbitrary<byte[]> keys() {
    return Arbitraries.bytes().array(byte[].class).ofSize(16);
  }

  @Provide
  Arbitrary<byte[]> prefixes() {
    // none, the 11-byte 1.1 join-accept prefix, a B0/B1 block, and odd sizes
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(40).injectNull(0.2);
  }

  // ---- byte-exact vectors ----

  @Example
  void fips197AppendixC1() {
    // FIPS-197 Appendix C.1: AES-128, key 000102..0F, plaintext 00112233..FF
    byte[] key = HexBytes.parse("key", "000102030405060708090A0B0C0D0E0F");
    byte[] pt = HexBytes.parse("pt", "00112233445566778899AABBCCDDEEFF");
    byte[] out = new byte[16];
    Aes128.encryptBlock(key, pt, 0, out, 0);
    assertThat(out).isEqualTo(HexBytes.parse("ct", "69C4E0D86A7B0430D8CDB78070B4C55A"));
    Aes128.encryptBlock(AesKey.of(key), pt, 0, out, 0);
    assertThat(out).isEqualTo(HexBytes.parse("ct", "69C4E0D86A7B0430D8CDB78070B4C55A"));
  }

  @Example
  void fips197AppendixB() {
    // FIPS-197 Appendix B: key 2B7E1516..., input 3243F6A8..., output 3925841D...
    byte[] key = HexBytes.parse("key", "2B7E151628AED2A6ABF7158809CF4F3C");
    byte[] in = HexBytes.parse("in", "3243F6A8885A308D313198A2E0370734");
    byte[] out = new byte[16];
    Aes128.encryptBlock(key, in, 0, out, 0);
    assertThat(out).isEqualTo(HexBytes.parse("out", "3925841D02DC09FBDC118597196A0B32"));
  }

  @Example
  void fips197AppendixC1InverseCipher() {
    // FIPS-197 Appendix C.1 backwards: ciphertext 69C4E0D8... decrypts to 00112233...FF
    byte[] key = HexBytes.parse("key", "000102030405060708090A0B0C0D0E0F");
    byte[] ct = HexBytes.parse("ct", "69C4E0D86A7B0430D8CDB78070B4C55A");
    byte[] out = new byte[16];
    Aes128.decryptBlock(key, ct, 0, out, 0);
    assertThat(out).isEqualTo(HexBytes.parse("pt", "00112233445566778899AABBCCDDEEFF"));
  }

  @Property
  void decryptBlockEqualsReference(@ForAll("keys") byte[] key, @ForAll @Size(16) byte[] block) {
    BlockCipher engine = AESEngine.newInstance();
    engine.init(false, new KeyParameter(key));
    byte[] expected = new byte[16];
    engine.processBlock(block, 0, expected, 0);
    byte[] out = new byte[16];
    Aes128.decryptBlock(key, block, 0, out, 0);
    assertThat(out).isEqualTo(expected);
    // and encryption undoes it, on the same (cached) key
    byte[] back = new byte[16];
    Aes128.encryptBlock(key, out, 0, back, 0);
    assertThat(back).isEqualTo(block);
  }

  @Example
  void cmacSplitsAcrossPrefixAndMessage() {
    // RFC 4493 Example 3 (40 bytes), fed as a 11-byte prefix and the rest at an offset
    byte[] key = HexBytes.parse("key", "2B7E151628AED2A6ABF7158809CF4F3C");
    byte[] m = HexBytes.parse("m", "6BC1BEE22E409F96E93D7E117393172A"
        + "AE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411");
    byte[] padded = new byte[3 + 29 + 5];
    System.arraycopy(m, 11, padded, 3, 29);
    byte[] tag = Cmac128.compute(key, Arrays.copyOf(m, 11), padded, 3, 29);
    assertThat(tag).isEqualTo(HexBytes.parse("tag", "DFA66747DE9AE63030CA32611497C827"));
  }

  // ---- equal to the reference ----

  @Property
  void encryptBlockEqualsReference(@ForAll("keys") byte[] key, @ForAll @Size(16) byte[] block,
      @ForAll @IntRange(max = 7) int off) {
    byte[] in = new byte[off + 16];
    System.arraycopy(block, 0, in, off, 16);
    byte[] out = new byte[off + 16];
    Aes128.encryptBlock(key, in, off, out, off);
    assertThat(Arrays.copyOfRange(out, off, off + 16)).isEqualTo(referenceEncrypt(key, block));
    byte[] out2 = new byte[16];
    Aes128.encryptBlock(AesKey.of(key), block, 0, out2, 0);
    assertThat(out2).isEqualTo(referenceEncrypt(key, block));
  }

  @Property
  void ecbEqualsReferenceBothWays(@ForAll("keys") byte[] key, @ForAll boolean encrypt,
      @ForAll @IntRange(max = 4) int blocks, @ForAll("keys") byte[] seed) {
    byte[] in = new byte[16 * blocks + 3];
    new Random(Arrays.hashCode(seed)).nextBytes(in);
    BlockCipher engine = AESEngine.newInstance();
    engine.init(encrypt, new KeyParameter(key));
    byte[] expected = new byte[16 * blocks];
    for (int i = 0; i < expected.length; i += 16) {
      engine.processBlock(in, 3 + i, expected, i);
    }
    assertThat(Aes128.ecb(encrypt, key, in, 3, 16 * blocks)).isEqualTo(expected);
    assertThat(Aes128.ecb(encrypt, AesKey.of(key), in, 3, 16 * blocks)).isEqualTo(expected);
  }

  @Property
  void cmacEqualsReference(@ForAll("keys") byte[] key, @ForAll("prefixes") byte[] prefix,
      @ForAll @Size(max = 300) byte[] msg, @ForAll @IntRange(max = 300) int a,
      @ForAll @IntRange(max = 300) int b) {
    int off = Math.min(a, msg.length);
    int len = Math.min(b, msg.length - off);
    byte[] expected = referenceCmac(key, prefix, msg, off, len);
    assertThat(Cmac128.compute(key, prefix, msg, off, len)).isEqualTo(expected);
    assertThat(Cmac128.compute(AesKey.of(key), prefix, msg, off, len)).isEqualTo(expected);
    int first4 = (expected[0] & 0xFF) << 24 | (expected[1] & 0xFF) << 16
        | (expected[2] & 0xFF) << 8 | (expected[3] & 0xFF);
    assertThat(Cmac128.first4(AesKey.of(key), prefix, msg, off, len)).isEqualTo(first4);
  }

  @Property
  void keyStreamEqualsReference(@ForAll("keys") byte[] key, @ForAll @Size(16) byte[] a,
      @ForAll @Size(max = 250) byte[] data) {
    byte[] expected = referenceKeyStream(key, a, data);
    assertThat(Aes128.xorKeyStream(key, a.clone(), data, 0, data.length)).isEqualTo(expected);
    byte[] out = new byte[data.length + 5];
    Aes128.xorKeyStream(AesKey.of(key), a.clone(), data, 0, data.length, out, 5);
    assertThat(Arrays.copyOfRange(out, 5, out.length)).isEqualTo(expected);
    // in place
    byte[] inPlace = data.clone();
    Aes128.xorKeyStream(AesKey.of(key), a.clone(), inPlace, 0, inPlace.length, inPlace, 0);
    assertThat(inPlace).isEqualTo(expected);
  }

  @Property
  void keyStreamFromWordsEqualsReference(@ForAll("keys") byte[] key, @ForAll @Size(16) byte[] a,
      @ForAll @Size(max = 250) byte[] data) {
    byte[] expected = referenceKeyStream(key, a, data);
    byte[] out = new byte[data.length];
    Aes128.xorKeyStream(AesKey.of(key), Aes128Rounds.readWord(a, 0), Aes128Rounds.readWord(a, 4),
        Aes128Rounds.readWord(a, 8), Aes128Rounds.readWord(a, 12), data, 0, data.length, out, 0);
    assertThat(out).isEqualTo(expected);
  }

  /** One operation of a random sequence: which key, what kind, and its input. */
  record Op(int keyIndex, int kind, byte[] prefix, byte[] data) {}

  @Provide
  Arbitrary<List<Op>> sequences() {
    Arbitrary<Op> op = net.jqwik.api.Combinators.combine(
        Arbitraries.integers().between(0, 2),
        Arbitraries.integers().between(0, 4),
        prefixes(),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(70))
        .as(Op::new);
    return op.list().ofMinSize(1).ofMaxSize(30);
  }

  /** Runs {@code op} through the code under test and the reference; true if they agree. */
  static boolean agrees(byte[][] keys, Op op) {
    byte[] key = keys[op.keyIndex()];
    byte[] data = op.data();
    switch (op.kind()) {
      case 0: {
        byte[] block = Arrays.copyOf(data, 16);
        byte[] out = new byte[16];
        Aes128.encryptBlock(AesKey.of(key), block, 0, out, 0);
        return Arrays.equals(out, referenceEncrypt(key, block));
      }
      case 1:
        return Arrays.equals(Cmac128.compute(key, op.prefix(), data, 0, data.length),
            referenceCmac(key, op.prefix(), data, 0, data.length));
      case 2: {
        byte[] expected = referenceCmac(key, op.prefix(), data, 0, data.length);
        int mic = Cmac128.first4(AesKey.of(key), op.prefix(), data, 0, data.length);
        return mic == ((expected[0] & 0xFF) << 24 | (expected[1] & 0xFF) << 16
            | (expected[2] & 0xFF) << 8 | (expected[3] & 0xFF));
      }
      case 3: {
        byte[] block = Arrays.copyOf(data, 16);
        BlockCipher engine = AESEngine.newInstance();
        engine.init(false, new KeyParameter(key));
        byte[] expected = new byte[16];
        engine.processBlock(block, 0, expected, 0);
        return Arrays.equals(Aes128.ecb(false, AesKey.of(key), block, 0, 16), expected);
      }
      default: {
        byte[] a = Arrays.copyOf(op.prefix() == null ? new byte[0] : op.prefix(), 16);
        return Arrays.equals(Aes128.xorKeyStream(key, a.clone(), data, 0, data.length),
            referenceKeyStream(key, a, data));
      }
    }
  }

  @Property
  void alternatingKeysOnOneThread(@ForAll("keys") byte[] k0, @ForAll("keys") byte[] k1,
      @ForAll boolean k2SameAsK0, @ForAll("sequences") List<Op> ops) {
    // k2 is sometimes equal in content to k0 but another array: the cache compares bytes
    byte[][] keys = {k0, k1, k2SameAsK0 ? k0.clone() : k1.clone()};
    keys[2][15] ^= k2SameAsK0 ? 0 : 1;
    for (Op op : ops) {
      assertThat(agrees(keys, op)).as("op %s", op).isTrue();
    }
  }

  @Property(tries = 20)
  void concurrentUseFromSeveralThreads(@ForAll long seed) throws Exception {
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long threadSeed = seed * 31 + t;
        Callable<Integer> task = () -> {
          Random random = new Random(threadSeed);
          // each thread has its own keys and shares one with the others
          byte[][] keys = new byte[3][16];
          random.nextBytes(keys[0]);
          random.nextBytes(keys[1]);
          new Random(seed).nextBytes(keys[2]);
          start.await();
          int mismatches = 0;
          for (int i = 0; i < 300; i++) {
            byte[] prefix = random.nextBoolean() ? null : new byte[random.nextInt(20)];
            if (prefix != null) {
              random.nextBytes(prefix);
            }
            byte[] data = new byte[random.nextInt(60)];
            random.nextBytes(data);
            if (!agrees(keys, new Op(random.nextInt(3), random.nextInt(5), prefix, data))) {
              mismatches++;
            }
          }
          return mismatches;
        };
        results.add(pool.submit(task));
      }
      start.countDown();
      for (Future<Integer> f : results) {
        // a generous bound against a hang, not a timing assertion
        assertThat(f.get(5, TimeUnit.MINUTES)).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
