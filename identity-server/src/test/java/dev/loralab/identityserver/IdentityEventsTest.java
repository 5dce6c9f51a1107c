package dev.loralab.identityserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.ProtoJson;
import dev.loralab.events.Event;
import dev.loralab.events.EventCatalogue;
import dev.loralab.events.testing.RecordingEventBus;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdentityEventsTest {
  @Test
  void definitionsRegisterAndEntityChangesPublishWithoutSecrets() {
    EventCatalogue catalogue = new EventCatalogue();
    IdentityEvents.register(catalogue);
    assertThat(catalogue.get("end_device.create")).isPresent();
    assertThat(catalogue.get("application.api-key.create")).isPresent();
    assertThat(catalogue.get("application.api_key.create")).isEmpty();
    assertThat(catalogue.expandNames(java.util.List.of("*.api-key.*"))).hasSize(9);

    RecordingEventBus bus = new RecordingEventBus();
    try (IdentityServer s = IdentityServer.builder(IdentityServerConfig.defaults()
            .withStoreKind(IdentityServerConfig.StoreKind.IN_MEMORY).withApiKeyHashIterations(1000))
        .random(new Random(9)).writeAdminKeyFile(false).eventBus(bus).build()) {
      dev.loralab.web.Router router = new dev.loralab.web.Router();
      s.registerRoutes(router);
      String admin = s.issuedAdminToken().orElseThrow();
      var app = dev.loralab.api.v3.CreateApplicationRequest.newBuilder()
          .setApplication(dev.loralab.api.v3.Application.newBuilder().setIds(
              dev.loralab.api.v3.ApplicationIdentifiers.newBuilder().setApplicationId("app1")))
          .build();
      DirectRoute.post(router, admin, "/api/v3/users/admin/applications",
          "{\"application\":" + ProtoJson.print(app.getApplication()) + "}");
      DirectRoute.post(router, admin, "/api/v3/applications/app1/devices",
          IdentityHttpTest.OTAA);
      DirectRoute.post(router, admin, "/api/v3/applications/app1/api-keys",
          "{\"rights\":[\"RIGHT_APPLICATION_INFO\"]}");
    }
    assertThat(bus.events()).extracting(Event::name)
        .containsExactly("application.create", "end_device.create", "application.api-key.create");
    for (Event e : bus.events()) {
      assertThat(e.toJson()).doesNotContain("2B7E151628AED2A6ABF7158809CF4F3C").doesNotContain("NNSXS");
    }
  }
}
