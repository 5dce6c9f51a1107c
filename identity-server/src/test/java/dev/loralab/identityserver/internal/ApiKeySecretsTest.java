package dev.loralab.identityserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.identityserver.ApiKeyToken;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ApiKeySecretsTest {
  @Test
  void base32MatchesRfc4648Vectors() {
    // RFC 4648 section 10 (padding stripped).
    assertThat(Base32.encode("".getBytes(StandardCharsets.US_ASCII))).isEqualTo("");
    assertThat(Base32.encode("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
    assertThat(Base32.encode("fo".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXQ");
    assertThat(Base32.encode("foo".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6");
    assertThat(Base32.encode("foob".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YQ");
    assertThat(Base32.encode("fooba".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTB");
    assertThat(Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
  }

  @Test
  void pbkdf2MatchesRfc7914Vector() {
    // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64 (first 32 bytes).
    byte[] dk = ApiKeySecrets.pbkdf2("passwd", "salt".getBytes(StandardCharsets.US_ASCII), 1);
    assertThat(HexFormat.of().formatHex(dk))
        .isEqualTo("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
  }

  @Test
  void tokensHaveTtsShapeAndAreDistinct() {
    ApiKeySecrets s = new ApiKeySecrets(new Random(1), 1000);
    ApiKeyToken a = s.newToken();
    ApiKeyToken b = s.newToken();
    assertThat(a.id()).hasSize(39).matches("[A-Z2-7]+");
    assertThat(a.secret()).hasSize(52).matches("[A-Z2-7]+");
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void hashVerifiesOnlyTheRightSecretAndIsSalted() {
    ApiKeySecrets s = new ApiKeySecrets(new Random(2), 1000);
    String h1 = s.hash("SECRET");
    String h2 = s.hash("SECRET");
    assertThat(h1).startsWith("PBKDF2-SHA256$1000$").isNotEqualTo(h2);
    assertThat(ApiKeySecrets.verify("SECRET", h1)).isTrue();
    assertThat(ApiKeySecrets.verify("SECRET", h2)).isTrue();
    assertThat(ApiKeySecrets.verify("SECRES", h1)).isFalse();
  }

  @Test
  void corruptStoredFormsNeverMatch() {
    ApiKeySecrets s = new ApiKeySecrets(new Random(3), 1000);
    String h = s.hash("SECRET");
    assertThat(ApiKeySecrets.verify("SECRET", null)).isFalse();
    assertThat(ApiKeySecrets.verify("SECRET", "")).isFalse();
    assertThat(ApiKeySecrets.verify("SECRET", h.replace("PBKDF2-SHA256", "MD5"))).isFalse();
    assertThat(ApiKeySecrets.verify("SECRET", h.replace("$1000$", "$0$"))).isFalse();
    assertThat(ApiKeySecrets.verify("SECRET", h.replace("$1000$", "$x$"))).isFalse();
    assertThat(ApiKeySecrets.verify("SECRET", h + "$extra")).isFalse();
    assertThat(ApiKeySecrets.verify("SECRET", h.substring(0, h.length() - 4) + "!!!!")).isFalse();
  }
}
