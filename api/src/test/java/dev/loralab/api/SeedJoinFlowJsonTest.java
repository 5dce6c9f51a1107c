package dev.loralab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationJoinAccept;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.CFList;
import dev.loralab.api.v3.DLSettings;
import dev.loralab.api.v3.DataRate;
import dev.loralab.api.v3.DownlinkMessage;
import dev.loralab.api.v3.DownlinkPath;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Event;
import dev.loralab.api.v3.GatewayIdentifiers;
import dev.loralab.api.v3.GatewayUplinkMessage;
import dev.loralab.api.v3.JoinAcceptPayload;
import dev.loralab.api.v3.JoinRequest;
import dev.loralab.api.v3.JoinRequestPayload;
import dev.loralab.api.v3.LoRaDataRate;
import dev.loralab.api.v3.MACVersion;
import dev.loralab.api.v3.MHDR;
import dev.loralab.api.v3.MType;
import dev.loralab.api.v3.RxMetadata;
import dev.loralab.api.v3.TxRequest;
import dev.loralab.api.v3.TxSchedulePriority;
import dev.loralab.api.v3.UplinkMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract: event {@code data} built with our generated classes renders exactly as in the
 * seed document's join-flow example (The Things Stack, "Gaining insights using Events").
 *
 * <p>{@code seed-join-flow.json} is the example's JSON array with the page's {@code //}
 * annotations removed; {@link #resourceMatchesSeedDocument()} checks it against the seed itself.
 */
class SeedJoinFlowJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final GatewayIdentifiers GW2 =
      GatewayIdentifiers.newBuilder().setGatewayId("gw2").setEui("B827EBFFFE8DB887").build();
  private static final JoinRequestPayload JOIN_REQUEST = JoinRequestPayload.newBuilder()
      .setJoinEui("0000000000000000").setDevEui("70B3D57ED0050EAD").setDevNonce("AF7C").build();
  private static final List<String> NS_UPLINK_CIDS = List.of(
      "gs:conn:01G76RS17HGZZXV740X0N2XDV8",
      "gs:up:host:01G76RS1T9JM1RGFWT6A0ZEGNB",
      "gs:uplink:01G76SF01BNW5SKRAND31Z0MGB",
      "ns:uplink:01G76SF01C64KZ26CKK4SK5G10",
      "rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01G76SF01BBAMZAQRXYK97RZ8K");
  // EU868 CFList channels 3..7 in units of 100 Hz.
  private static final CFList CF_LIST = CFList.newBuilder()
      .addAllFreq(List.of(8671000, 8673000, 8675000, 8677000, 8679000)).build();

  private static JsonNode seedEvents() throws IOException {
    try (InputStream in = SeedJoinFlowJsonTest.class.getResourceAsStream("/seed-join-flow.json")) {
      return MAPPER.readTree(in);
    }
  }

  private static JsonNode seedEvent(String name) throws IOException {
    for (JsonNode e : seedEvents()) {
      if (e.get("name").asText().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no seed event " + name);
  }

  private static JsonNode render(Message data) throws IOException {
    Event event = Event.newBuilder().setData(Any.pack(data)).build();
    return MAPPER.readTree(ProtoJson.print(event)).get("data");
  }

  private static Timestamp ts(String rfc3339) {
    try {
      return Timestamps.parse(rfc3339);
    } catch (ParseException e) {
      throw new AssertionError(e);
    }
  }

  private static ByteString b64(String s) {
    return ByteString.copyFrom(Base64.getDecoder().decode(s));
  }

  private static EndDeviceIdentifiers dev2(String devAddr) {
    return EndDeviceIdentifiers.newBuilder().setDeviceId("dev2")
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1"))
        .setDevEui("70B3D57ED0050EAD").setJoinEui("0000000000000000").setDevAddr(devAddr)
        .build();
  }

  @Test
  void gsUpReceive() throws IOException {
    GatewayUplinkMessage data = GatewayUplinkMessage.newBuilder()
        .setMessage(UplinkMessage.newBuilder()
            // MHDR is JOIN_REQUEST (0), the default, so m_hdr is omitted.
            .setPayload(dev.loralab.api.v3.Message.newBuilder().setJoinRequestPayload(JOIN_REQUEST))
            .addRxMetadata(RxMetadata.newBuilder().setGatewayIds(GW2))
            .addCorrelationIds("gs:conn:01G76RS17HGZZXV740X0N2XDV8")
            .addCorrelationIds("gs:uplink:01G76SF01BNW5SKRAND31Z0MGB"))
        .build();
    assertThat(render(data)).isEqualTo(seedEvent("gs.up.receive").get("data"));
  }

  @Test
  void nsUpJoinClusterAttempt() throws IOException {
    JoinRequest data = JoinRequest.newBuilder()
        .setPayload(dev.loralab.api.v3.Message.newBuilder().setJoinRequestPayload(JOIN_REQUEST))
        .setDevAddr(ByteString.copyFrom(new byte[] {0x00, (byte) 0xFF, 0x52, (byte) 0xE3}))
        .setSelectedMacVersion(MACVersion.MAC_V1_0_2)
        .setNetId(ByteString.copyFrom(new byte[] {0, 0, 0}))
        .setDownlinkSettings(DLSettings.newBuilder().setRx2Dr(3))
        .setRxDelay(5)
        .setCfList(CF_LIST)
        .addAllCorrelationIds(NS_UPLINK_CIDS)
        .build();
    JsonNode rendered = render(data);
    assertThat(rendered).isEqualTo(seedEvent("ns.up.join.cluster.attempt").get("data"));
    assertThat(rendered.get("dev_addr").asText()).isEqualTo("AP9S4w==");
    assertThat(rendered.get("net_id").asText()).isEqualTo("AAAA");
  }

  @Test
  void nsDownJoinScheduleAttempt() throws IOException {
    DataRate sf12 = DataRate.newBuilder()
        .setLora(LoRaDataRate.newBuilder().setBandwidth(125_000).setSpreadingFactor(12)).build();
    DownlinkMessage data = DownlinkMessage.newBuilder()
        .setPayload(dev.loralab.api.v3.Message.newBuilder()
            .setMHdr(MHDR.newBuilder().setMType(MType.JOIN_ACCEPT))
            .setJoinAcceptPayload(JoinAcceptPayload.newBuilder()
                .setJoinNonce("000000").setNetId("000000").setDevAddr("00FF52E3")
                .setDlSettings(DLSettings.newBuilder().setRx2Dr(3))
                .setRxDelay(5)
                .setCfList(CF_LIST)))
        .setRequest(TxRequest.newBuilder()
            .addDownlinkPaths(DownlinkPath.newBuilder().setUplinkToken(b64(
                "ChEKDwoDZ3cyEgi4J+v//o24hxDUjazMAhoMCNL7j5YGEIXF5NYDIKDYyrikFCoLCNP7j5YGEICh5gQ=")))
            .setRx1Delay(5)
            .setRx1DataRate(sf12)
            .setRx1Frequency(868_300_000L)
            .setRx2DataRate(sf12)
            .setRx2Frequency(869_525_000L)
            .setPriority(TxSchedulePriority.HIGHEST)
            .setFrequencyPlanId("EU_863_870_TTN"))
        .addCorrelationIds("gs:conn:01G76RS17HGZZXV740X0N2XDV8")
        .addCorrelationIds("gs:up:host:01G76RS1T9JM1RGFWT6A0ZEGNB")
        .addCorrelationIds("gs:uplink:01G76SF01BNW5SKRAND31Z0MGB")
        .addCorrelationIds("ns:downlink:01G76SF1T0JHYTRMXTQ69DG1E6")
        .addCorrelationIds("ns:transmission:01G76SF1T0WAQAB4RF2M6EKSJR")
        .addCorrelationIds("ns:uplink:01G76SF01C64KZ26CKK4SK5G10")
        .addCorrelationIds("rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01G76SF01BBAMZAQRXYK97RZ8K")
        .build();
    JsonNode rendered = render(data);
    assertThat(rendered).isEqualTo(seedEvent("ns.down.join.schedule.attempt").get("data"));
    // Frequencies are uint64: strings in JSON.
    assertThat(rendered.at("/request/rx1_frequency").isTextual()).isTrue();
  }

  @Test
  void asUpJoinForward() throws IOException {
    ApplicationUp data = ApplicationUp.newBuilder()
        .setEndDeviceIds(dev2("00FF52E3"))
        .addCorrelationIds("as:up:01G76SF1T4N87XN57MY6H36X4C")
        .addAllCorrelationIds(NS_UPLINK_CIDS)
        .addCorrelationIds("rpc:/ttn.lorawan.v3.NsAs/HandleUplink:01G76SF1T4N1VR08BVHQ6MTTJN")
        .setReceivedAt(ts("2022-07-05T09:01:08.804377195Z"))
        .setJoinAccept(ApplicationJoinAccept.newBuilder()
            .setSessionKeyId(b64("AYHNl4A0v5Eu3uRRH34tEA=="))
            .setReceivedAt(ts("2022-07-05T09:01:06.988023916Z")))
        .build();
    assertThat(render(data)).isEqualTo(seedEvent("as.up.join.forward").get("data"));
  }

  @Test
  void wholeAsUpJoinForwardEvent() throws IOException {
    JsonNode seed = seedEvent("as.up.join.forward");
    Event.Builder b = Event.newBuilder().setName("as.up.join.forward")
        .setTime(ts("2022-07-05T09:01:08.806553539Z"))
        .addIdentifiers(EntityIdentifiers.newBuilder().setDeviceIds(dev2("00FF52E3")));
    b.setData(Any.pack(ProtoJson.parse(MAPPER.writeValueAsString(seed.get("data")).replace(
        "\"@type\":\"type.googleapis.com/ttn.lorawan.v3.ApplicationUp\",", ""),
        ApplicationUp.newBuilder()).build()));
    for (JsonNode cid : seed.get("correlation_ids")) {
      b.addCorrelationIds(cid.asText());
    }
    assertThat(MAPPER.readTree(ProtoJson.print(b.build()))).isEqualTo(seed);
  }

  /** Every seed event (including Value and JoinResponse data) survives parse then print. */
  @Test
  void everySeedEventRoundTrips() throws IOException {
    int n = 0;
    for (JsonNode seed : seedEvents()) {
      Event e = ProtoJson.parse(MAPPER.writeValueAsString(seed), Event.newBuilder()).build();
      assertThat(MAPPER.readTree(ProtoJson.print(e))).as(seed.get("name").asText())
          .isEqualTo(seed);
      n++;
    }
    assertThat(n).isEqualTo(14);
  }

  /** The resource is the seed document's example, minus the page's {@code //} annotations. */
  @Test
  void resourceMatchesSeedDocument() throws IOException {
    Path seedDoc = Path.of("../../shared/seed/000_07defcec703b911a.txt");
    assumeTrue(Files.exists(seedDoc), "seed document outside the repository is not available");
    String text = Files.readString(seedDoc, StandardCharsets.UTF_8);
    int start = text.indexOf("[\n  {\n    \"name\": \"gs.up.receive\"");
    int end = text.lastIndexOf("\n]") + 2;
    String block = text.substring(start, end).replaceAll("(\",)\\s*//[^\\n]*", "$1");
    assertThat(MAPPER.readTree(block)).isEqualTo(seedEvents());
  }
}
