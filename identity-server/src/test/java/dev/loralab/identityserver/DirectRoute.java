package dev.loralab.identityserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.web.Request;
import dev.loralab.web.Response;
import dev.loralab.web.Router;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Calls a route handler directly (no network). */
final class DirectRoute {
  private DirectRoute() {}

  static Response post(Router router, String token, String path, String body) {
    Router.Found found = (Router.Found) router.match("POST", path);
    Request r = new Request("POST", path, found.pattern(), found.params(), Map.of(),
        Map.of("Authorization", List.of("Bearer " + token)), body.getBytes(StandardCharsets.UTF_8),
        "127.0.0.1:1");
    try {
      Response resp = found.handler().handle(r).join();
      assertThat(resp.status()).as(resp.bodyUtf8()).isEqualTo(200);
      return resp;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
