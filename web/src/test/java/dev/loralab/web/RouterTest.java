package dev.loralab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class RouterTest {

  private static final Handler H = Handler.sync(r -> Response.empty(204));

  @Test
  void matchesParamsAndRest() {
    Router r = new Router().get("/a/{x}/b/{y}", H).get("/files/{path...}", H);
    assertThat(r.match("GET", "/a/1/b/2")).isEqualTo(new Router.Found("/a/{x}/b/{y}", H, Map.of("x", "1", "y", "2")));
    assertThat(((Router.Found) r.match("GET", "/files/x/y.js")).params()).containsEntry("path", "x/y.js");
    assertThat(((Router.Found) r.match("GET", "/files/")).params()).containsEntry("path", "");
    assertThat(r.match("GET", "/a/1/b")).isInstanceOf(Router.NotFound.class);
    assertThat(r.match("GET", "/a//b/2")).isInstanceOf(Router.NotFound.class);
    assertThat(r.match("GET", "/files/../x")).isInstanceOf(Router.BadPath.class);
    assertThat(r.match("GET", "/files/a%5Cb")).isInstanceOf(Router.BadPath.class);
  }

  @Test
  void methodNotAllowedListsAllowed() {
    Router r = new Router().get("/x", H).delete("/x", H);
    assertThat(r.match("POST", "/x")).isEqualTo(new Router.MethodNotAllowed(java.util.Set.of("DELETE", "GET", "HEAD")));
    assertThat(r.match("HEAD", "/x")).isInstanceOf(Router.Found.class);
  }

  @Test
  void rejectsBadPatternsAndDuplicates() {
    assertThatThrownBy(() -> new Router().get("x", H)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Router().get("/{a}/{a}", H)).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> new Router().get("/{rest...}/x", H)).hasMessageContaining("last");
    assertThatThrownBy(() -> new Router().get("/a/{x}", H).get("/a/{y}", H))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void percentDecodingIsStrict() {
    assertThat(RoutePattern.decode("a%20b")).isEqualTo("a b");
    assertThat(RoutePattern.decode("%C3%A9")).isEqualTo("\u00e9");
    assertThat(RoutePattern.decode("%C3")).isNull();
    assertThat(RoutePattern.decode("%2")).isNull();
    assertThat(RoutePattern.decode("%zz")).isNull();
    assertThat(RoutePattern.decode("a+b")).isEqualTo("a+b");
  }

  @Property
  void plainIdsRoundTrip(@ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 36) String id) {
    Router r = new Router().get("/apps/{id}", H);
    assertThat(((Router.Found) r.match("GET", "/apps/" + id)).params()).containsEntry("id", id);
  }

  @Property
  void arbitraryPathsNeverThrow(@ForAll @StringLength(max = 40) String junk) {
    Router r = new Router().get("/apps/{id}", H).get("/f/{p...}", H);
    assertThat(r.match("GET", "/apps/" + junk)).isNotNull();
    assertThat(r.match("GET", "/f/" + junk)).isNotNull();
  }
}
