package dev.loralab.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.frequencyplans.Band;
import dev.loralab.frequencyplans.Bands;
import dev.loralab.lorawan.Eui64;
import dev.loralab.lorawan.mac.MacCommand;
import dev.loralab.simulator.device.SimulatedDevice;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * End-to-end runs in virtual time against {@link FakeNetworkServer}: simulated minutes in
 * milliseconds, deterministic.
 */
class SimulationVirtualTimeTest {

  private static final Band EU = Bands.byId("EU_863_870");

  private static Scenario scenario(String devices, String extra) {
    String yaml = """
        name: test
        seed: 7
        duration: 30m
        frequency-plan: EU_863_870
        radio: {shadowing-sigma-db: 0}
        %s
        gateways:
          - eui: 0016C001FF10A235
            position: [0, 0]
        devices:
        %s
        """.formatted(extra, devices.indent(2));
    return new ScenarioParser().parse("<test>", yaml);
  }

  private record Run(Simulation simulation, SimulationReport report, FakeNetworkServer server) {
    SimulatedDevice device(int i) {
      return simulation.devices().get(i);
    }

    Eui64 devEui(int i) {
      return device(i).identity().devEui();
    }
  }

  private static Run run(Scenario s, java.util.function.Consumer<FakeNetworkServer> setup) throws Exception {
    return run(s, EU, setup);
  }

  private static Run run(Scenario s, Band band, java.util.function.Consumer<FakeNetworkServer> setup)
      throws Exception {
    Provisioning p = Provisioning.of(s);
    FakeNetworkServer ns = new FakeNetworkServer(p, band);
    setup.accept(ns);
    Simulation sim = new Simulation(s, SimulationOptions.virtual(ns));
    SimulationReport r = sim.run();
    return new Run(sim, r, ns);
  }

  @Test
  void otaaDevicesJoinAndEachDeliveredUplinkReachesTheServerExactlyOnce() throws Exception {
    Scenario s = scenario("""
        - name: sensors
          count: 10
          activation: otaa
          lorawan-version: 1.0.3
          placement: {type: disc, center: [0, 0], radius: 1500}
          uplink: {interval: 60s, jitter: 10s}
          payload: {type: cayenne, sensors: [temperature, humidity]}
        """, "");
    Run run = run(s, ns -> {});
    SimulationReport r = run.report();

    assertThat(r.joins().otaaDevices()).isEqualTo(10);
    assertThat(r.joins().successRate()).isEqualTo(1.0);
    assertThat(r.uplinks().sent()).isGreaterThan(200);
    assertThat(run.server().micFailures).isZero();

    Set<String> delivered = r.uplinkRecords().stream().filter(SimulationReport.UplinkRecord::delivered)
        .map(u -> u.devEui() + "/" + u.fCnt()).collect(Collectors.toSet());
    List<String> forwarded = run.server().forwarded.stream().map(f -> f.devEui() + "/" + f.fCnt()).toList();
    assertThat(forwarded).doesNotHaveDuplicates();
    assertThat(new HashSet<>(forwarded)).isEqualTo(delivered);
    assertThat(r.perSpreadingFactor()).containsKey("SF7");
    assertThat(r.toJson()).contains("\"deliveryRatio\"");
    assertThat(r.summary()).contains("Joins:").contains("PDR per SF");
  }

  @Test
  void sameSeedGivesTheSameRun() throws Exception {
    String devices = """
        - name: d
          count: 5
          placement: {type: disc, radius: 3000}
          uplink: {interval: 40s, jitter: 20s, mode: poisson}
        """;
    Run a = run(scenario(devices, ""), ns -> {});
    Run b = run(scenario(devices, ""), ns -> {});
    assertThat(a.report().uplinkRecords()).isEqualTo(b.report().uplinkRecords());
    assertThat(a.report().uplinkRecords()).isNotEmpty();
  }

  @Test
  void confirmedUplinksAreAcknowledgedInRx1() throws Exception {
    Scenario s = scenario("""
        - name: abp
          count: 3
          activation: abp
          placement: {type: points, points: [[100, 0], [0, 200], [-300, 0]]}
          uplink: {interval: 30s, jitter: 5s, confirmed: true}
        """, "duration: 10m");
    Run run = run(s, ns -> {});
    for (int i = 0; i < 3; i++) {
      SimulatedDevice.Counters c = run.device(i).counters();
      assertThat(c.acknowledged).isGreaterThan(10);
      assertThat(c.confirmedUnacknowledged).isZero();
    }
    assertThat(run.report().uplinks().acknowledged()).isEqualTo(
        run.server().forwarded.stream().filter(FakeNetworkServer.Forwarded::confirmed).count());
    assertThat(run.report().downlinks().latencyP50Millis()).isBetween(1000.0, 1100.0);
  }

  @Test
  void macCommandsAreAnsweredAndApplied() throws Exception {
    Scenario s = scenario("""
        - name: abp
          count: 1
          activation: abp
          placement: {type: points, points: [[200, 0]]}
          uplink: {interval: 20s}
        """, "duration: 10m");
    // commands queued for the ABP device (its session exists from the start)
    Provisioning p = Provisioning.of(s);
    Eui64 devEui = p.devices().get(0).identity().devEui();
    Run r = run(s, ns -> ns.queueMac(devEui,
        new MacCommand.LinkADRReq(3, 2, 0x0007, 0, 1),
        new MacCommand.DevStatusReq(),
        new MacCommand.DutyCycleReq(1),
        new MacCommand.RXTimingSetupReq(1),
        new MacCommand.NewChannelReq(3, 867_100_000L, 5, 0),
        new MacCommand.RXParamSetupReq(0, 0, 869_525_000L),
        new MacCommand.DlChannelReq(0, 868_100_000L),
        new MacCommand.TxParamSetupReq(false, false, 5)));
    assertThat(r.report().uplinks().sent()).isPositive();
    SimulatedDevice d = r.device(0);
    assertThat(d.dataRate()).isEqualTo(3);
    assertThat(d.txPowerIndex()).isEqualTo(2);
    assertThat(d.maxDutyCycleExp()).isEqualTo(1);
    assertThat(d.enabledChannels()).contains(0, 1, 2, 3);
    List<MacCommand> answers = r.server().macFrom(devEui);
    assertThat(answers).contains(new MacCommand.LinkADRAns(true, true, true), new MacCommand.DutyCycleAns(),
        new MacCommand.RXTimingSetupAns(), new MacCommand.NewChannelAns(true, true),
        new MacCommand.RXParamSetupAns(true, true, true), new MacCommand.DlChannelAns(true, true));
    assertThat(answers).filteredOn(c -> c instanceof MacCommand.DevStatusAns)
        .singleElement().extracting(c -> ((MacCommand.DevStatusAns) c).battery()).isEqualTo(254);
    assertThat(answers).noneMatch(c -> c instanceof MacCommand.TxParamSetupAns); // not in EU868
    assertThat(r.server().micFailures).isZero();
  }

  @Test
  void lorawan11DeviceJoinsWithOptNegAndRekeys() throws Exception {
    Scenario s = scenario("""
        - name: v11
          count: 2
          lorawan-version: 1.1
          placement: {type: disc, radius: 500}
          uplink: {interval: 30s}
          device-time: true
          link-check-every: 5
        """, "duration: 10m");
    Run run = run(s, ns -> {});
    assertThat(run.report().joins().successRate()).isEqualTo(1.0);
    assertThat(run.server().micFailures).isZero();
    assertThat(run.server().forwarded).hasSizeGreaterThan(20);
    for (int i = 0; i < 2; i++) {
      List<MacCommand> macs = run.server().macFrom(run.devEui(i));
      assertThat(macs).filteredOn(c -> c instanceof MacCommand.RekeyInd).hasSizeBetween(1, 2);
      assertThat(macs).anyMatch(c -> c instanceof MacCommand.DeviceTimeReq);
      assertThat(macs).anyMatch(c -> c instanceof MacCommand.LinkCheckReq);
      assertThat(run.device(i).counters().deviceTimeAnswers).isEqualTo(1);
      assertThat(run.device(i).counters().linkChecks).isPositive();
      assertThat(run.device(i).counters().rejectedDownlinks).isZero();
    }
  }

  @Test
  void joinRetriesFollowTheDevNonceRulesOfTheVersion() throws Exception {
    Scenario s = scenario("""
        - name: old
          count: 1
          lorawan-version: 1.0.3
          placement: {type: points, points: [[100, 0]]}
        - name: new
          count: 1
          lorawan-version: 1.0.4
          placement: {type: points, points: [[0, 100]]}
        """, "duration: 20m");
    Run run = run(s, ns -> ns.ignoreJoinRequests = 2);
    assertThat(run.report().joins().successRate()).isEqualTo(1.0);
    List<Integer> old = run.server().devNonces.get(run.devEui(0));
    List<Integer> counter = run.server().devNonces.get(run.devEui(1));
    assertThat(old).hasSize(3).doesNotHaveDuplicates();
    assertThat(counter).containsExactly(0, 1, 2);
    assertThat(run.device(0).counters().joinRequests).isEqualTo(3);
  }

  @Test
  void classCDeviceReceivesADownlinkAtAnyTime() throws Exception {
    Scenario s = scenario("""
        - name: c
          count: 1
          activation: abp
          class: C
          placement: {type: points, points: [[300, 0]]}
          uplink: {interval: 5m}
        """, "duration: 10m");
    Provisioning p = Provisioning.of(s);
    Eui64 devEui = p.devices().get(0).identity().devEui();
    Run run = run(s, ns -> {
      ns.at(Duration.ofSeconds(100), () -> ns.sendClassC(devEui, new byte[] {1, 2, 3}));
      ns.at(Duration.ofSeconds(250), () -> ns.sendClassC(devEui, new byte[] {4}));
    });
    assertThat(run.device(0).counters().applicationDownlinks).isEqualTo(2);
    assertThat(run.device(0).counters().micFailures).isZero();
  }

  @Test
  void withoutDownlinksAdrBackoffRequestsAnAnswerAndLowersTheDataRate() throws Exception {
    Scenario s = scenario("""
        - name: adr
          count: 1
          activation: abp
          placement: {type: points, points: [[100, 0]]}
          uplink: {interval: 15s}
        """, "duration: 45m");
    Run run = run(s, ns -> ns.answerUplinks = false);
    assertThat(run.server().adrAckReqs).isPositive();
    assertThat(run.device(0).dataRate()).isLessThan(5);
    assertThat(run.device(0).counters().adrBackoffSteps).isPositive();
  }

  @Test
  void dutyCycleLimitsASlowDataRate() throws Exception {
    // DR0 with a large payload: ~1.5 s airtime, so 1 % allows one frame every ~2.5 min
    Scenario s = scenario("""
        - name: slow
          count: 1
          activation: abp
          data-rate: 0
          adr: false
          placement: {type: points, points: [[100, 0]]}
          uplink: {interval: 20s}
          payload: {type: random, min-size: 40, max-size: 40}
        """, "duration: 30m");
    Run run = run(s, ns -> ns.answerUplinks = false);
    SimulatedDevice.Counters c = run.device(0).counters();
    assertThat(c.dutyCycleDelays).isPositive();
    // airtime of all frames stays within 1 % of the time (the three default channels share g1)
    assertThat(c.airtimeNanos).isLessThanOrEqualTo(Duration.ofMinutes(30).toNanos() / 100 + 2_000_000_000L);
  }

  @Test
  void aLargerCityReportAddsUp() throws Exception {
    Scenario s = new ScenarioParser().parse(
        java.nio.file.Files.isDirectory(java.nio.file.Path.of("scenarios"))
            ? java.nio.file.Path.of("scenarios", "city-eu868.yaml")
            : java.nio.file.Path.of("simulator", "scenarios", "city-eu868.yaml"));
    Run run = run(s, ns -> {});
    SimulationReport r = run.report();
    assertThat(r.devices()).isEqualTo(50);
    assertThat(r.gateways()).isEqualTo(3);
    assertThat(r.joins().successRate()).isGreaterThan(0.8);
    long sent = r.uplinks().sent();
    assertThat(sent).isGreaterThan(500);
    assertThat(r.perSpreadingFactor().values().stream().mapToLong(SimulationReport.Delivery::sent).sum()).isEqualTo(sent);
    assertThat(r.perDistance().values().stream().mapToLong(SimulationReport.Delivery::sent).sum()).isEqualTo(sent);
    assertThat(r.deviceCounts().stream().mapToLong(SimulationReport.DeviceCounts::uplinks).sum()).isEqualTo(sent);
    assertThat(r.uplinks().delivered() + r.uplinks().lostBelowFloor() + r.uplinks().lostToCollisions()).isEqualTo(sent);
    assertThat(r.uplinkRecords()).hasSize((int) sent);
    assertThat(run.server().micFailures).isZero();
  }

  @Test
  void moreTrafficOnTheSameChannelsMeansMoreCollisions() throws Exception {
    String devices = """
        - name: busy
          count: 60
          activation: abp
          adr: false
          placement: {type: disc, radius: 1500}
          uplink: {interval: %s, mode: poisson}
          payload: {type: random, min-size: 20, max-size: 20}
        """;
    String radio = "radio: {shadowing-sigma-db: 0, capture: false}\nduration: 20m";
    SimulationReport light = run(scenario(devices.formatted("10m"), radio), ns -> ns.answerUplinks = false).report();
    SimulationReport heavy = run(scenario(devices.formatted("20s"), radio), ns -> ns.answerUplinks = false).report();
    assertThat(heavy.uplinks().collisions()).isGreaterThan(light.uplinks().collisions());
    assertThat(heavy.uplinks().deliveryRatio()).isLessThan(light.uplinks().deliveryRatio());
    assertThat(heavy.uplinks().lostToCollisions()).isPositive();
  }

  @Test
  void loadModeSendsTheRequestedRateWithFreshCounters() throws Exception {
    Scenario s = scenario("""
        - name: load
          count: 20
          activation: abp
          adr: false
          placement: {type: disc, radius: 300}
        """, "duration: 1m");
    FakeNetworkServer ns = new FakeNetworkServer(Provisioning.of(s), EU);
    ns.answerUplinks = false;
    SimulationReport r = Simulation.run(s, SimulationOptions.virtual(ns).withRate(50));
    assertThat(r.mode()).isEqualTo("load");
    assertThat(r.load().achievedRate()).isBetween(45.0, 51.0);
    assertThat(r.uplinks().sent()).isBetween(2700L, 3000L);
    assertThat(r.uplinks().collisions()).isZero();
    assertThat(ns.forwarded).hasSize((int) r.uplinks().delivered());
    assertThat(ns.forwarded.stream().map(f -> f.devEui() + "/" + f.fCnt())).doesNotHaveDuplicates();
    assertThat(ns.micFailures).isZero();
  }

  @Test
  void rx2AndChangedReceiveParametersAreFollowed() throws Exception {
    Scenario s = scenario("""
        - name: rx
          count: 1
          activation: abp
          adr: false
          placement: {type: points, points: [[150, 0]]}
          uplink: {interval: 30s, confirmed: true}
        """, "duration: 20m");
    Eui64 devEui = Provisioning.of(s).devices().get(0).identity().devEui();
    Run run = run(s, ns -> {
      ns.useRx2 = true;
      ns.queueMac(devEui, new MacCommand.RXParamSetupReq(0, 3, 869_525_000L), new MacCommand.RXTimingSetupReq(3));
    });
    SimulatedDevice d = run.device(0);
    assertThat(d.rx2DataRate()).isEqualTo(3);
    assertThat(d.rx1DelaySeconds()).isEqualTo(3);
    assertThat(d.counters().confirmedUnacknowledged).isZero();
    assertThat(d.counters().acknowledged).isGreaterThan(30);
    // answered in RX2, RX1 delay + 1 s after the uplink (first 2 s, then 4 s), plus the airtime
    // of the downlink (SF9 once RX2 moved to DR3: about 144 ms)
    assertThat(run.report().downlinks().latencyMaxMillis()).isBetween(4100.0, 4200.0);
    assertThat(run.report().downlinks().latencyP50Millis()).isBetween(4100.0, 4200.0);
  }

  @Test
  void fixedChannelBandsWorkToo() throws Exception {
    Scenario s = new ScenarioParser().parse("<us>", """
        name: us
        seed: 4
        duration: 15m
        frequency-plan: US_902_928_FSB_2
        radio: {shadowing-sigma-db: 0}
        gateways: [{eui: 00800000A00000A1, position: [0, 0]}]
        devices:
          - {name: otaa, count: 3, placement: {type: disc, radius: 800}, uplink: {interval: 30s, confirmed: true}}
        """);
    Run run = run(s, dev.loralab.frequencyplans.Bands.byId("US_902_928"), ns -> {});
    assertThat(run.report().joins().successRate()).isEqualTo(1.0);
    assertThat(run.report().uplinks().acknowledged()).isGreaterThan(30);
    assertThat(run.report().perSpreadingFactor()).containsOnlyKeys("SF7");
    assertThat(run.server().micFailures).isZero();
  }
}
