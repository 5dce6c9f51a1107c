package dev.loralab.identityserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.web.ErrorMapping;
import dev.loralab.web.Request;
import dev.loralab.web.Response;
import dev.loralab.web.Router;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Arbitrary and corrupted request bodies never cause a 500. */
class MalformedBodyProperties {
  static final IdentityServer SERVER = IdentityServer.builder(IdentityServerConfig.defaults()
          .withStoreKind(IdentityServerConfig.StoreKind.IN_MEMORY).withApiKeyHashIterations(1000))
      .random(new Random(5)).writeAdminKeyFile(false).build();
  static final String ADMIN = SERVER.issuedAdminToken().orElseThrow();
  static final Router ROUTER = new Router();
  static final List<String> PATHS = List.of(
      "/api/v3/applications/app1/devices", "/api/v3/users/admin/applications",
      "/api/v3/users/admin/gateways", "/api/v3/users/admin/api-keys",
      "/api/v3/applications/app1/api-keys", "/api/v3/users");
  static final List<String> PUT_PATHS = List.of(
      "/api/v3/applications/app1/devices/dev1", "/api/v3/applications/app1",
      "/api/v3/gateways/gtw1");

  static {
    SERVER.registerRoutes(ROUTER);
    call("POST", "/api/v3/users/admin/applications",
        "{\"application\":{\"ids\":{\"application_id\":\"app1\"}}}".getBytes(StandardCharsets.UTF_8));
    call("POST", "/api/v3/applications/app1/devices",
        IdentityHttpTest.OTAA.getBytes(StandardCharsets.UTF_8));
    call("POST", "/api/v3/users/admin/gateways",
        "{\"gateway\":{\"ids\":{\"gateway_id\":\"gtw1\"},\"frequency_plan_id\":\"EU\"}}"
            .getBytes(StandardCharsets.UTF_8));
  }

  static Response call(String method, String path, byte[] body) {
    Router.Match m = ROUTER.match(method, path);
    if (!(m instanceof Router.Found found)) {
      throw new AssertionError("no route " + method + " " + path + ": " + m);
    }
    Request r = new Request(method, path, found.pattern(), found.params(), Map.of(),
        Map.of("Authorization", List.of("Bearer " + ADMIN)), body, "127.0.0.1:1");
    try {
      return found.handler().handle(r).join();
    } catch (Throwable t) {
      return ErrorMapping.toResponse(t);
    }
  }

  @Property(tries = 300)
  void arbitraryBodiesAreNever500(@ForAll byte[] body, @ForAll @IntRange(max = 5) int path) {
    Response r = call("POST", PATHS.get(path), body);
    assertThat(r.status()).as(r.bodyUtf8()).isNotEqualTo(500);
  }

  @Property(tries = 300)
  void corruptedValidBodiesAreNever500(@ForAll @IntRange(max = 10_000) int position,
      @ForAll char replacement, @ForAll @IntRange(max = 2) int path) {
    String valid = IdentityHttpTest.ABP;
    int at = position % valid.length();
    String corrupted = valid.substring(0, at) + replacement + valid.substring(at + 1);
    Response post = call("POST", "/api/v3/applications/app1/devices",
        corrupted.replace("abp1", "abp" + position).getBytes(StandardCharsets.UTF_8));
    assertThat(post.status()).as(post.bodyUtf8()).isNotEqualTo(500);
    Response put = call("PUT", PUT_PATHS.get(path), corrupted.replace("abp1", "dev1")
        .replace("end_device", path == 0 ? "end_device" : path == 1 ? "application" : "gateway")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(put.status()).as(put.bodyUtf8()).isNotEqualTo(500);
  }
}
