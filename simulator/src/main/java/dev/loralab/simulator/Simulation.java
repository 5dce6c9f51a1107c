package dev.loralab.simulator;

import dev.loralab.frequencyplans.Band;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.lorawan.Bytes;
import dev.loralab.simulator.device.CayennePayload;
import dev.loralab.simulator.device.DeviceListener;
import dev.loralab.simulator.device.DeviceSettings;
import dev.loralab.simulator.device.FixedPayload;
import dev.loralab.simulator.device.PayloadGenerator;
import dev.loralab.simulator.device.RandomPayload;
import dev.loralab.simulator.device.ScriptPayload;
import dev.loralab.simulator.device.SimulatedDevice;
import dev.loralab.simulator.gateway.GatewayConfig;
import dev.loralab.simulator.gateway.GatewayLink;
import dev.loralab.simulator.gateway.SemtechUdpCodec;
import dev.loralab.simulator.gateway.SimulatedGateway;
import dev.loralab.simulator.gateway.UdpGatewayLink;
import dev.loralab.simulator.internal.ReportCollector;
import dev.loralab.simulator.radio.Medium;
import dev.loralab.simulator.radio.RadioNode;
import dev.loralab.simulator.radio.Reception;
import dev.loralab.simulator.radio.Transmission;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Scenario}: simulated gateways speaking Semtech UDP to a network server, simulated
 * devices, and the radio model between them. In real time (the default) against any network
 * server; in virtual time with an in-memory server for fast, deterministic tests.
 *
 * <pre>{@code
 * Scenario s = new ScenarioParser().parse(Path.of("simulator/scenarios/demo-eu868.yaml"));
 * SimulationReport r = Simulation.run(s, SimulationOptions.defaults().withDuration(Duration.ofMinutes(2)));
 * System.out.println(r.summary());
 * }</pre>
 */
public final class Simulation {

  private static final Logger LOG = LoggerFactory.getLogger(Simulation.class);
  private static final long SECOND = 1_000_000_000L;

  private final Scenario scenario;
  private final SimulationOptions options;
  private final Provisioning provisioning;
  private final CountDownLatch done = new CountDownLatch(1);
  private final List<SimulatedGateway> gateways = new ArrayList<>();
  private final List<SimulatedDevice> devices = new ArrayList<>();
  private final Map<SimulatedDevice, Double> distance = new HashMap<>();
  private final List<GatewayLink> links = new ArrayList<>();
  private SimScheduler scheduler;
  private Medium medium;
  private ReportCollector collector;
  private volatile boolean stopped;

  /**
   * @param scenario what to simulate
   * @param options how
   * @throws IllegalArgumentException for virtual time without in-memory links
   */
  public Simulation(Scenario scenario, SimulationOptions options) {
    if (options.virtualTime() && options.links().isEmpty()) {
      throw new IllegalArgumentException("virtual time needs in-memory gateway links: no real server keeps up");
    }
    this.scenario = scenario.with(options.seed().orElse(scenario.seed()), options.duration().orElse(scenario.duration()),
        options.server().orElse(scenario.networkServer()));
    this.options = options;
    this.provisioning = Provisioning.of(this.scenario);
  }

  /** Runs a scenario to the end and returns its report. */
  public static SimulationReport run(Scenario scenario, SimulationOptions options) throws InterruptedException {
    return new Simulation(scenario, options).run();
  }

  /** The effective scenario (with the option overrides applied). */
  public Scenario scenario() {
    return scenario;
  }

  /** The devices and gateways this run creates. */
  public Provisioning provisioning() {
    return provisioning;
  }

  /** The simulated devices (filled once the run starts). */
  public List<SimulatedDevice> devices() {
    return Collections.unmodifiableList(devices);
  }

  /** Ends a real-time run early; the report covers the time until then. Callable from any thread. */
  public void stop() {
    stopped = true;
    done.countDown();
  }

  /**
   * Runs the scenario: blocks for its duration in real time, or computes it at once in virtual
   * time.
   *
   * @throws InterruptedException if interrupted while waiting in real time
   * @throws IllegalStateException if a gateway link cannot be opened
   */
  public SimulationReport run() throws InterruptedException {
    long wallStart = System.nanoTime();
    boolean load = options.rate().isPresent();
    String mode = load ? "load" : options.virtualTime() ? "virtual" : "real-time";
    long durationNanos = scenario.duration().toNanos();
    EventLoopGroup group = null;
    ScheduledExecutorService executor = null;
    if (options.virtualTime()) {
      scheduler = new VirtualScheduler(options.clock().instant());
    } else {
      executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loralab-simulation");
        t.setDaemon(true);
        return t;
      });
      scheduler = new RealTimeScheduler(executor, options.clock(), System::nanoTime);
    }
    medium = new Medium(scenario.radio(), scenario.seed());
    collector = new ReportCollector(scenario, mode, options.clock().instant(), options.perUplinkLimit());
    try {
      if (options.links().isEmpty()) {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
      }
      build(group);
      CountDownLatch started = new CountDownLatch(1);
      scheduler.execute(() -> {
        startAll(load);
        started.countDown();
      });
      scheduler.scheduleAt(durationNanos, () -> devices.forEach(SimulatedDevice::quiesce));
      scheduler.scheduleAt(durationNanos + options.drain().toNanos(), done::countDown);
      if (scheduler instanceof VirtualScheduler v) {
        v.runUntil(durationNanos + options.drain().toNanos());
      } else {
        started.await();
        done.await();
      }
      CountDownLatch finished = new CountDownLatch(1);
      SimulationReport[] report = new SimulationReport[1];
      Runnable finish = () -> {
        devices.forEach(SimulatedDevice::stop);
        gateways.forEach(SimulatedGateway::stop);
        double simSeconds = Math.min(scheduler.nowNanos(), durationNanos) / 1e9;
        report[0] = collector.report(simSeconds, (System.nanoTime() - wallStart) / 1e9, devices, distance, gateways);
        finished.countDown();
      };
      if (scheduler instanceof VirtualScheduler v) {
        finish.run();
      } else {
        scheduler.execute(finish);
        finished.await();
      }
      return report[0];
    } finally {
      for (GatewayLink l : links) {
        l.close();
      }
      if (executor != null) {
        executor.shutdownNow();
      }
      if (group != null) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      }
    }
  }

  private void build(EventLoopGroup group) {
    SemtechUdpCodec codec = new SemtechUdpCodec();
    FrequencyPlanStore plans = FrequencyPlanStore.builtIn();
    ScenarioParser bands = new ScenarioParser(ScenarioParser.DEFAULT_MAX_BYTES, plans);
    InetSocketAddress server = null;
    if (options.links().isEmpty()) {
      String hp = scenario.networkServer();
      int colon = hp.lastIndexOf(':');
      server = new InetSocketAddress(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1)));
      if (server.isUnresolved()) {
        throw new IllegalStateException("network server " + hp + " cannot be resolved");
      }
    }
    for (Scenario.GatewaySpec spec : scenario.gateways()) {
      GatewayConfig cfg = new GatewayConfig(spec.eui(), spec.position(), scenario.origin().latitudeOf(spec.position()),
          scenario.origin().longitudeOf(spec.position()), 0, spec.protocolVersion(), Duration.ofSeconds(5),
          Duration.ofSeconds(30), 32);
      SimulatedGateway gw = new SimulatedGateway(cfg, scheduler, medium, codec,
          new SplittableRandom(Provisioning.mix(scenario.seed(), spec.eui().value())), this::downlinkOnAir);
      gateways.add(gw);
      try {
        GatewayLink link = options.links().isPresent()
            ? options.links().get().open(spec, scheduler, bytes -> scheduler.execute(() -> gw.onDatagram(bytes)))
            : UdpGatewayLink.open(group, server, bytes -> scheduler.execute(() -> gw.onDatagram(bytes)));
        links.add(link);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while opening the link of gateway " + spec.eui(), e);
      } catch (Exception e) {
        throw new IllegalStateException("cannot open the link of gateway " + spec.eui() + ": " + e.getMessage(), e);
      }
    }
    Map<String, Band> bandCache = new HashMap<>();
    for (Provisioning.Device d : provisioning.devices()) {
      Scenario.DeviceGroup g = d.group();
      Band band = bandCache.computeIfAbsent(g.frequencyPlan(), bands::band);
      PayloadGenerator payload = payload(g.payload(), d);
      DeviceSettings settings = new DeviceSettings(band, g.deviceClass(), g.dataRate(), g.adr(), g.uplink().confirmed(),
          g.uplink().fPort(), g.uplink().interval(), g.uplink().jitter(), g.uplink().poisson(), payload, g.battery(),
          Duration.ofSeconds(10), g.linkCheckEvery(), g.deviceTime(), 4);
      SimulatedDevice dev = new SimulatedDevice(d.identity(), settings, d.position(), scheduler, this::uplinkOnAir,
          collector, new SplittableRandom(Provisioning.mix(scenario.seed() + 1, d.identity().devEui().value())));
      devices.add(dev);
      double nearest = Double.MAX_VALUE;
      for (SimulatedGateway gw : gateways) {
        nearest = Math.min(nearest, gw.node().position().distanceTo(d.position()));
      }
      distance.put(dev, nearest);
    }
  }

  private PayloadGenerator payload(Scenario.PayloadSpec spec, Provisioning.Device d) {
    if (spec instanceof Scenario.PayloadSpec.Fixed f) {
      return new FixedPayload(f.bytes());
    } else if (spec instanceof Scenario.PayloadSpec.Random r) {
      return new RandomPayload(r.minSize(), r.maxSize());
    } else if (spec instanceof Scenario.PayloadSpec.Cayenne c) {
      return new CayennePayload(c.sensors(), scenario.origin().latitudeOf(d.position()),
          scenario.origin().longitudeOf(d.position()));
    }
    return new ScriptPayload(((Scenario.PayloadSpec.Script) spec).script());
  }

  private void startAll(boolean load) {
    for (int i = 0; i < gateways.size(); i++) {
      gateways.get(i).start(links.get(i));
    }
    // devices power up spread over max(10 s, 100 ms per device), at most one uplink interval
    Duration interval = scenario.deviceGroups().stream().map(g -> g.uplink().interval())
        .min(Duration::compareTo).orElse(Duration.ofSeconds(10));
    Duration spread = Duration.ofMillis(Math.max(10_000, 100L * devices.size()));
    if (spread.compareTo(interval) > 0) {
      spread = interval;
    }
    for (SimulatedDevice d : devices) {
      d.start(load ? Duration.ofSeconds(5) : spread, !load);
    }
    scheduler.schedule(options.progressInterval(), this::progress);
    scheduler.schedule(Duration.ofSeconds(1), this::pruneMedium);
    if (load) {
      collector.loadStarted(options.rate().getAsDouble(), scheduler.nowNanos());
      scheduler.schedule(Duration.ofMillis(10), this::loadTick);
    }
  }

  private void progress() {
    if (stopped || scheduler.nowNanos() > scenario.duration().toNanos()) {
      return;
    }
    options.progress().accept(collector.progress(scheduler.nowNanos() / 1e9, devices));
    scheduler.schedule(options.progressInterval(), this::progress);
  }

  private void pruneMedium() {
    medium.prune(scheduler.nowNanos());
    if (!stopped) {
      scheduler.schedule(Duration.ofSeconds(1), this::pruneMedium);
    }
  }

  private int loadCursor;

  private void loadTick() {
    long now = scheduler.nowNanos();
    if (stopped || now >= scenario.duration().toNanos()) {
      collector.loadEnded(now);
      return;
    }
    long target = collector.loadTarget(now);
    int tried = 0;
    while (collector.loadSent() < target && !devices.isEmpty()) {
      SimulatedDevice d = devices.get(loadCursor++ % devices.size());
      if (d.sendLoadUplink()) {
        collector.loadUplink();
        tried = 0;
      } else if (++tried >= devices.size()) {
        collector.loadSkipped();
        break;
      }
    }
    scheduler.schedule(Duration.ofMillis(10), this::loadTick);
  }

  /** A device put an uplink on the air: decide at its end which gateways heard it. */
  private Transmission uplinkOnAir(SimulatedDevice device, long frequencyHz, int sf, int bw, double eirpDbm,
      long start, long end, Bytes phy) {
    Transmission t = medium.transmit(device.node(), frequencyHz, sf, bw,
        eirpDbm - scenario.radio().deviceAntennaGainDbi(), start, end, phy);
    boolean interference = options.rate().isEmpty();
    scheduler.scheduleAt(end, () -> {
      List<Reception> rs = new ArrayList<>(gateways.size());
      for (SimulatedGateway gw : gateways) {
        rs.add(medium.receive(t, gw.node(), interference));
      }
      collector.uplinkEvaluated(t, rs);
      for (int i = 0; i < rs.size(); i++) {
        if (rs.get(i).received()) {
          gateways.get(i).onUplink(rs.get(i), phy);
        }
      }
    });
    return t;
  }

  /** A gateway put a downlink on the air: at its end, deliver it to a listening device. */
  private void downlinkOnAir(Transmission t) {
    collector.downlinkTransmitted();
    scheduler.scheduleAt(t.endNanos(), () -> {
      boolean listened = false;
      boolean heard = false;
      for (SimulatedDevice d : devices) {
        var window = d.listeningWindow(t);
        if (window.isEmpty()) {
          continue;
        }
        listened = true;
        Reception r = medium.receive(t, d.node());
        if (r.received()) {
          heard = true;
          d.onDownlink(t, r, window.get());
        }
      }
      if (!listened) {
        collector.downlinkNotListening();
      } else if (!heard) {
        collector.downlinkLostOnAir();
      }
    });
  }

  /** Radio node of every gateway (for tests). */
  List<RadioNode> gatewayNodes() {
    return gateways.stream().map(SimulatedGateway::node).toList();
  }
}
