package dev.loralab.events;

import dev.loralab.api.auth.EntityKeys;
import dev.loralab.api.auth.RightSet;
import dev.loralab.api.auth.StaticAccessControl;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Right;

/** Definitions and callers shared by the tests (names and visibility as in The Things Stack). */
final class TestCatalogue {

  static final EventDefinition GS_UP_RECEIVE = EventDefinition.define("gs.up.receive", "receive uplink message")
      .withVisibility(Right.RIGHT_GATEWAY_TRAFFIC_READ);
  static final EventDefinition GS_STATUS_RECEIVE = EventDefinition.define("gs.status.receive", "receive gateway status")
      .withVisibility(Right.RIGHT_GATEWAY_STATUS_READ);
  static final EventDefinition NS_UP_DATA_RECEIVE = EventDefinition.define("ns.up.data.receive",
      "receive data message").withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ);
  static final EventDefinition NS_UP_DATA_PROCESS = EventDefinition.define("ns.up.data.process",
      "successfully processed data message").withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ);
  static final EventDefinition AS_UP_DATA_FORWARD = EventDefinition.define("as.up.data.forward",
      "forward uplink data message").withDataType(ApplicationUp.class)
      .withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ).propagatingToParent();
  static final EventDefinition AS_UP_DATA_DROP = EventDefinition.define("as.up.data.drop",
      "drop uplink data message").withErrorDataType()
      .withVisibility(Right.RIGHT_APPLICATION_TRAFFIC_READ).propagatingToParent();
  static final EventDefinition APPLICATION_UPDATE = EventDefinition.define("application.update",
      "update application").withVisibility(Right.RIGHT_APPLICATION_INFO);

  static final EntityIdentifiers APP1 = EntityKeys.application("app1");
  static final EntityIdentifiers APP2 = EntityKeys.application("app2");
  static final EntityIdentifiers DEV1 = EntityKeys.device("app1", "dev1");
  static final EntityIdentifiers DEV2 = EntityKeys.device("app1", "dev2");
  static final EntityIdentifiers APP2_DEV = EntityKeys.device("app2", "dev1");
  static final EntityIdentifiers GW1 = EntityKeys.gateway("gw1");

  private TestCatalogue() {
  }

  static EventCatalogue catalogue() {
    return new EventCatalogue().register(GS_UP_RECEIVE, GS_STATUS_RECEIVE, NS_UP_DATA_RECEIVE, NS_UP_DATA_PROCESS,
        AS_UP_DATA_FORWARD, AS_UP_DATA_DROP, APPLICATION_UPDATE);
  }

  static StaticAccessControl accessControl() {
    return StaticAccessControl.builder()
        .token("admin-key", "admin", EntityKeys.user("admin"), RightSet.of(Right.RIGHT_ALL))
        .token("app1-key", "app1key", APP1, RightSet.of(Right.RIGHT_APPLICATION_ALL))
        .token("app1-info", "app1info", APP1, RightSet.of(Right.RIGHT_APPLICATION_INFO))
        .token("app1-link", "app1link", APP1, RightSet.of(Right.RIGHT_APPLICATION_LINK))
        .token("gw1-status", "gw1status", GW1, RightSet.of(Right.RIGHT_GATEWAY_STATUS_READ))
        .build();
  }
}
