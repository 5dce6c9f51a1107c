package dev.loralab.identityserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.api.auth.Unauthenticated;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ApiKeyTokenTest {
  static final String ID = "VEEBURF3KR77ZR6EZJ5IJ5UYL4GDPRBPNC4FO4Q"; // 39 chars
  static final String SECRET = "Y6BX6RFLSZAUGLH7UBIEDFYNZ6TSUBNLBJ4FBBC6HDBMFG5IPKCQ"; // 52 chars

  @Test
  void parsesAndFormatsTtsForm() {
    ApiKeyToken t = ApiKeyToken.parse("NNSXS." + ID + "." + SECRET);
    assertThat(t.id()).isEqualTo(ID);
    assertThat(t.secret()).isEqualTo(SECRET);
    assertThat(t.format()).isEqualTo("NNSXS." + ID + "." + SECRET);
  }

  @Test
  void toStringNeverRevealsTheSecret() {
    assertThat(new ApiKeyToken(ID, SECRET).toString()).doesNotContain(SECRET).contains(ID);
  }

  @Test
  void rejectsMalformedTokensWithUnauthenticated() {
    assertThatThrownBy(() -> ApiKeyToken.parse("")).isInstanceOf(Unauthenticated.class);
    assertThatThrownBy(() -> ApiKeyToken.parse("NNSXS." + ID))
        .isInstanceOf(Unauthenticated.class).hasMessageContaining("NNSXS.<id>.<secret>");
    assertThatThrownBy(() -> ApiKeyToken.parse("XXXXX." + ID + "." + SECRET))
        .isInstanceOf(Unauthenticated.class).hasMessageContaining("prefix");
    assertThatThrownBy(() -> ApiKeyToken.parse("NNSXS." + ID.toLowerCase() + "." + SECRET))
        .isInstanceOf(Unauthenticated.class).hasMessageContaining("id");
    assertThatThrownBy(() -> ApiKeyToken.parse("NNSXS." + ID + "." + SECRET + ".x"))
        .isInstanceOf(Unauthenticated.class);
    assertThatThrownBy(() -> ApiKeyToken.parse("NNSXS." + ID + "." + "1".repeat(52)))
        .isInstanceOf(Unauthenticated.class).hasMessageContaining("secret")
        .hasMessageNotContaining("1111");
    assertThatThrownBy(() -> ApiKeyToken.parse("NNSXS." + ID + "." + "A".repeat(10_000)))
        .isInstanceOf(Unauthenticated.class);
  }

  @Property
  void parseNeverThrowsAnythingButUnauthenticated(@ForAll String s) {
    try {
      ApiKeyToken.parse(s);
    } catch (Unauthenticated expected) {
      // fine
    }
  }
}
