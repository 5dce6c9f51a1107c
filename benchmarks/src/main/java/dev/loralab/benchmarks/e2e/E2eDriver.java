package dev.loralab.benchmarks.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end benchmark driver. Starts the LoRaLab stack in its own JVM, registers an application,
 * {@code M} gateways and {@code N} ABP devices over the HTTP API, attaches a measuring event stream
 * ({@code as.up.data.forward}) and optionally {@code K} more SSE subscribers, then runs the
 * {@link LoadGenerator} in another JVM at each requested rate and reports delivered uplinks,
 * sustained rate, latency percentiles (gateway server receive time to {@code as.up.data.forward}),
 * stack CPU time per uplink and heap per registered device. With {@code --limit} it also runs
 * the {@link LimitReceiver} in the same invocation, so the report gives end-to-end throughput as a
 * fraction of that limit. Everything binds to 127.0.0.1.
 *
 * <p>Options: {@code --loralab-jar cli/target/loralab.jar --devices 10000 --gateways 10
 * --rates 1000,2000,5000 --duration 20 --heap 2g --sse 0 --limit --limit-rate 100000
 * --register-concurrency 16 --join-devices 10000 --join-rates 500,1000 --keep-data --out benchmarks/target/e2e};
 * {@code --dev-status-known} registers the devices with {@code last_dev_status_received_at} set, so the
 * network server does not want a downlink (DevStatusReq) for each device's first uplink.
 */
public final class E2eDriver {

  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private final Map<String, String> a;
  private final Path out;
  private final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private final String benchClasspath = System.getProperty("java.class.path");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final Map<String, Object> report = new LinkedHashMap<>();
  private final List<Process> processes = new ArrayList<>();
  private Process stack;
  private Path dataDir;
  private String base;
  private String apiKey;
  private int udpPort;
  private final int devices;
  private final int gateways;
  /** The stack JVM's options when --jvm-args is not given: those {@code ./loralab} runs Java with. */
  static final String DEFAULT_STACK_JVM_ARGS =
      "-XX:MaxGCPauseMillis=20 -XX:+UnlockExperimentalVMOptions -XX:G1NewSizePercent=40";
  /** Device i's FCnts run {@link UplinkFrames#fCntOffset} ahead: a fleet not in step (0: in step). */
  private final int fCntSpread;

  private E2eDriver(Map<String, String> a) throws IOException {
    this.a = a;
    this.out = Path.of(a.getOrDefault("out", "benchmarks/target/e2e"));
    Files.createDirectories(out);
    this.devices = Integer.parseInt(a.getOrDefault("devices", "10000"));
    this.gateways = Integer.parseInt(a.getOrDefault("gateways", "10"));
    this.fCntSpread = Integer.parseInt(a.getOrDefault("fcnt-spread", "200"));
  }

  public static void main(String[] args) throws Exception {
    E2eDriver d = new E2eDriver(Args.parse(args));
    Runtime.getRuntime().addShutdownHook(new Thread(d::destroyAll));
    try {
      d.run();
    } finally {
      d.destroyAll();
      d.deleteDataDir();
    }
  }

  /** Deletes the stack's temporary data directory unless {@code --keep-data}. */
  private void deleteDataDir() {
    if (dataDir == null || a.containsKey("keep-data")) {
      return;
    }
    try (var paths = Files.walk(dataDir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("cannot delete " + dataDir + ": " + e.getMessage());
    }
  }

  private void run() throws Exception {
    report.put("date", Instant.now().toString());
    report.put("devices", devices);
    report.put("gateways", gateways);
    report.put("load_before", loadAverage());
    if (a.containsKey("limit")) {
      runLimit();
    }
    if (!a.containsKey("limit-only")) {
      startStack();
      register();
      runSteps();
    }
    report.put("load_after", loadAverage());
    String json = toJson(report);
    Files.writeString(out.resolve("result-" + devices + ".json"), json);
    System.out.println(json);
  }

  // --- limit -------------------------------------------------------------------------------------

  private void runLimit() throws Exception {
    int port = freePort();
    Process recv = spawn("limit", List.of(javaBin, "-Xmx1g", "-cp", benchClasspath,
        LimitReceiver.class.getName(), "--port", Integer.toString(port), "--devices", Integer.toString(devices)));
    BufferedReader r = new BufferedReader(new InputStreamReader(recv.getInputStream(), StandardCharsets.UTF_8));
    String ready = r.readLine();
    if (ready == null || !ready.startsWith("ready")) {
      throw new IllegalStateException("limit receiver did not start: " + ready);
    }
    double rate = Double.parseDouble(a.getOrDefault("limit-rate", "100000"));
    double duration = Double.parseDouble(a.getOrDefault("limit-duration", "20"));
    String gen = runGenerator(port, rate, duration, 1);
    String result = r.readLine();
    recv.waitFor(30, TimeUnit.SECONDS);
    Map<String, Object> limit = new LinkedHashMap<>();
    limit.put("generator", raw(gen));
    limit.put("receiver", raw(result));
    report.put("limit", limit);
    System.err.println("limit: " + result);
  }

  // --- stack -------------------------------------------------------------------------------------

  private void startStack() throws Exception {
    Path data = Files.createTempDirectory("loralab-e2e-");
    dataDir = data;
    int httpPort = freePort();
    int grpcPort = freePort();
    udpPort = freePort();
    List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xms" + a.getOrDefault("heap", "2g"),
        "-Xmx" + a.getOrDefault("heap", "2g")));
    // The launcher's default (./loralab): a 20 ms G1 pause goal; --jvm-args replaces it.
    String jvmArgs = a.getOrDefault("jvm-args", DEFAULT_STACK_JVM_ARGS).trim();
    if (!jvmArgs.isEmpty()) {
      cmd.addAll(List.of(jvmArgs.split(" +")));
    }
    cmd.addAll(List.of("-cp", a.getOrDefault("loralab-jar", "cli/target/loralab.jar"), "dev.loralab.cli.LoraLab",
        "start", "--data-dir", data.toString(), "--http-port", Integer.toString(httpPort),
        "--grpc-port", Integer.toString(grpcPort), "--udp-port", Integer.toString(udpPort),
        "--set", "http.bind=127.0.0.1", "--set", "grpc.bind=127.0.0.1", "--set", "udp.bind=127.0.0.1",
        "--set", "identity-server.api-key-hash-iterations=1000",
        "--set", "events.subscriber-queue-size=" + a.getOrDefault("subscriber-queue", "65536"),
        "--log-level", a.getOrDefault("log-level", "WARN")));
    for (String s : a.getOrDefault("stack-set", "").split(",")) {
      if (!s.isBlank()) {
        cmd.addAll(List.of("--set", s));
      }
    }
    stack = spawnLogged("stack", cmd);
    base = "http://127.0.0.1:" + httpPort;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      if (!stack.isAlive()) {
        throw new IllegalStateException("stack exited with " + stack.exitValue() + "; see " + out.resolve("stack.log"));
      }
      try {
        if (get("/healthz").statusCode() == 200 && Files.exists(data.resolve("admin-api-key"))) {
          break;
        }
      } catch (IOException e) {
        // not up yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("stack did not become healthy in 120 s");
      }
      Thread.sleep(250);
    }
    apiKey = Files.readString(data.resolve("admin-api-key")).trim();
    report.put("stack_pid", stack.pid());
    report.put("stack_data_dir", data.toString());
    report.put("heap_baseline_bytes", heapUsedAfterGc());
  }

  private void register() throws Exception {
    post("/api/v3/users/admin/applications", "{\"application\":{\"ids\":{\"application_id\":\"bench\"}}}", true);
    for (int g = 0; g < gateways; g++) {
      post("/api/v3/users/admin/gateways", "{\"gateway\":{\"ids\":{\"gateway_id\":\"" + UplinkFrames.gatewayId(g)
          + "\",\"eui\":\"" + String.format("%016X", UplinkFrames.gatewayEui(g))
          + "\"},\"frequency_plan_id\":\"EU_863_870\"}}", true);
    }
    int concurrency = Integer.parseInt(a.getOrDefault("register-concurrency", "16"));
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    Semaphore permits = new Semaphore(concurrency * 2);
    AtomicLong failures = new AtomicLong();
    AtomicLong done = new AtomicLong();
    long t0 = System.nanoTime();
    // --dev-status-known: devices registered as having reported their status, so the network
    // server does not ask every device for it (DevStatusReq) on its first uplink
    String devStatusKnown = a.containsKey("dev-status-known")
        ? java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString() : null;
    for (int i = 0; i < devices; i++) {
      BenchDevice d = new BenchDevice(i);
      permits.acquire();
      pool.execute(() -> {
        try {
          post("/api/v3/applications/bench/devices", deviceJson(d, devStatusKnown), false);
        } catch (Exception e) {
          if (failures.incrementAndGet() < 5) {
            System.err.println("register " + d.deviceId() + ": " + e.getMessage());
          }
        } finally {
          permits.release();
          long n = done.incrementAndGet();
          if (n % 10_000 == 0) {
            System.err.printf("registered %d/%d (%.0f/s)%n", n, devices, n / ((System.nanoTime() - t0) / 1e9));
          }
        }
      });
    }
    int joinDevices = Integer.parseInt(a.getOrDefault("join-devices", "0"));
    for (int i = 0; i < joinDevices; i++) {
      BenchDevice d = new BenchDevice(i);
      permits.acquire();
      pool.execute(() -> {
        try {
          post("/api/v3/applications/bench/devices", joinDeviceJson(d), false);
        } catch (Exception e) {
          if (failures.incrementAndGet() < 5) {
            System.err.println("register " + d.joinDeviceId() + ": " + e.getMessage());
          }
        } finally {
          permits.release();
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(1, TimeUnit.HOURS);
    double s = (System.nanoTime() - t0) / 1e9;
    report.put("register_seconds", round(s));
    report.put("register_per_second", round(devices / s));
    report.put("register_failures", failures.get());
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " devices failed to register");
    }
    long heap = heapUsedAfterGc();
    report.put("heap_after_register_bytes", heap);
    long baseline = (Long) report.get("heap_baseline_bytes");
    report.put("heap_per_device_bytes", round((double) (heap - baseline) / devices));
  }

  private static String deviceJson(BenchDevice d, String lastDevStatusReceivedAt) {
    String devStatus = lastDevStatusReceivedAt == null ? ""
        : "\"last_dev_status_received_at\":\"" + lastDevStatusReceivedAt + "\",";
    return "{\"end_device\":{" + devStatus + "\"ids\":{\"device_id\":\"" + d.deviceId()
        + "\",\"application_ids\":{\"application_id\":\"bench\"},\"dev_eui\":\"" + d.devEui()
        + "\",\"join_eui\":\"0000000000000000\"},\"lorawan_version\":\"MAC_V1_0_3\","
        + "\"lorawan_phy_version\":\"RP001_V1_0_3_REV_A\",\"frequency_plan_id\":\"EU_863_870\","
        + "\"supports_join\":false,\"session\":{\"dev_addr\":\"" + d.devAddr() + "\",\"keys\":{"
        + "\"app_s_key\":{\"key\":\"" + d.appSKey().toHex() + "\"},"
        + "\"f_nwk_s_int_key\":{\"key\":\"" + d.nwkSKey().toHex() + "\"}}}}}";
  }

  private static String joinDeviceJson(BenchDevice d) {
    return "{\"end_device\":{\"ids\":{\"device_id\":\"" + d.joinDeviceId()
        + "\",\"application_ids\":{\"application_id\":\"bench\"},\"dev_eui\":\"" + d.joinDevEui()
        + "\",\"join_eui\":\"" + BenchDevice.JOIN_EUI + "\"},\"lorawan_version\":\"MAC_V1_0_3\","
        + "\"lorawan_phy_version\":\"RP001_V1_0_3_REV_A\",\"frequency_plan_id\":\"EU_863_870\","
        + "\"supports_join\":true,\"root_keys\":{\"app_key\":{\"key\":\"" + d.appKey().toHex() + "\"}}}}";
  }

  // --- load steps --------------------------------------------------------------------------------

  private void runSteps() throws Exception {
    int sse = Integer.parseInt(a.getOrDefault("sse", "0"));
    List<Thread> drains = new ArrayList<>();
    for (int i = 0; i < sse; i++) {
      InputStream in = openStream(false, "SSE");
      Thread t = new Thread(() -> drain(in), "sse-" + i);
      t.setDaemon(true);
      t.start();
      drains.add(t);
    }
    report.put("sse_subscribers", sse);
    EventCounter counter = new EventCounter(openStream(true, "NDJSON"), devices, fCntSpread);
    Thread ct = new Thread(counter, "event-counter");
    ct.setDaemon(true);
    ct.start();

    double duration = Double.parseDouble(a.getOrDefault("duration", "20"));
    long[] fCntStart = {1};
    double warmup = Double.parseDouble(a.getOrDefault("warmup", "0"));
    if (warmup > 0) {
      double rate = Double.parseDouble(a.getOrDefault("warmup-rate", "1000"));
      report.put("warmup", runStep(counter, rate, warmup, fCntStart, false));
    }
    List<Map<String, Object>> steps = new ArrayList<>();
    for (String rs : a.getOrDefault("rates", "1000").split(",")) {
      steps.add(runStep(counter, Double.parseDouble(rs.trim()), duration, fCntStart, true));
    }
    report.put("steps", steps);
    int joinDevices = Integer.parseInt(a.getOrDefault("join-devices", "0"));
    if (joinDevices > 0 && a.containsKey("join-rates")) {
      List<Map<String, Object>> joinSteps = new ArrayList<>();
      long[] nonceStart = {1};
      for (String rs : a.get("join-rates").split(",")) {
        joinSteps.add(runJoinStep(counter, Double.parseDouble(rs.trim()), duration, joinDevices, nonceStart));
      }
      report.put("join_steps", joinSteps);
    }
    report.put("heap_after_traffic_bytes", heapUsedAfterGc());
  }

  private Map<String, Object> runStep(EventCounter counter, double rate, double duration, long[] fCntStartRef,
      boolean measured) throws Exception {
    long fCntStart = fCntStartRef[0];
    long total = (long) (rate * duration);
    long rounds = (total + devices - 1) / devices;
    EventCounter.Window w = new EventCounter.Window(fCntStart, total);
    counter.window(w);
    long cpu0 = cpuNanos(stack);
    long[] userSys0 = userSysTicks(stack);
    long driverCpu0 = cpuNanos(ProcessHandle.current());
    ThreadCpu threads0 = ThreadCpu.snapshot(stack.pid());
    String load0 = loadAverage();
    StackCounters counters0 = stackCounters();
    String profile = measured ? startProfile(rate, duration) : null;
    long samplePeriod = Long.parseLong(a.getOrDefault("backlog-sample-ms", "0"));
    StackBacklogSampler backlog = samplePeriod > 0
        ? new StackBacklogSampler(() -> get("/metrics").body(), samplePeriod).start() : null;
    String gen;
    try {
      gen = runGenerator(udpPort, rate, duration, fCntStart);
      long genEnd = System.currentTimeMillis();
      // Wait until every uplink arrived, or nothing arrived for 10 s.
      while (w.delivered() < total && System.currentTimeMillis() - Math.max(genEnd, counter.lastEventMillis())
          < 10_000) {
        Thread.sleep(200);
      }
    } finally {
      if (backlog != null) {
        backlog.close();
      }
    }
    long cpu1 = cpuNanos(stack);
    long[] userSys1 = userSysTicks(stack);
    long driverCpu1 = cpuNanos(ProcessHandle.current());
    ThreadCpu threads1 = ThreadCpu.snapshot(stack.pid());
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("target_rate", rate);
    step.put("generator", raw(gen));
    long delivered = w.delivered();
    step.put("sent", total);
    step.put("delivered", delivered);
    step.put("missing", total - delivered);
    step.put("duplicates", w.duplicates);
    step.put("stream_lag_missed_total", counter.lagMissed());
    long startMillis = Long.parseLong(String.valueOf(raw(gen).get("start_millis")));
    double seconds = Math.max(0.001, (w.lastEventMillis - startMillis) / 1000.0);
    step.put("delivered_per_second", round(delivered / seconds));
    step.put("latency_p50_ms", w.percentileMicros(0.50) / 1000.0);
    step.put("latency_p99_ms", w.percentileMicros(0.99) / 1000.0);
    step.put("latency_p999_ms", w.percentileMicros(0.999) / 1000.0);
    step.put("latency_max_ms", w.percentileMicros(1.0) / 1000.0);
    step.put("stack_cpu_ms_total", round((cpu1 - cpu0) / 1e6));
    step.put("stack_cpu_us_per_uplink", delivered == 0 ? -1 : round((cpu1 - cpu0) / 1e3 / delivered));
    long user = userSys1[0] - userSys0[0];
    long sys = userSys1[1] - userSys0[1];
    step.put("stack_cpu_system_share", user + sys <= 0 ? -1 : round((double) sys / (user + sys)));
    step.put("driver_cpu_ms_total", round((driverCpu1 - driverCpu0) / 1e6));
    step.put("stack_cpu_by_thread", threads1.sharesSince(threads0));
    if (profile != null) {
      step.put("profile", profile);
    }
    if (backlog != null) {
      step.put("stack_backlog", backlog.report());
    }
    step.put("load_before", load0);
    step.put("load_after", loadAverage());
    step.put("fcnt_check", checkStoredFCnts(fCntStart, fCntStart + rounds - 1, total));
    try {
      String metrics = get("/metrics").body();
      Files.writeString(out.resolve("metrics-" + devices + "-" + (long) rate + ".txt"), metrics);
      step.put("stack_counters", StackCounters.parse(metrics).since(counters0));
    } catch (IOException e) {
      step.put("metrics_error", e.toString());
    }
    System.err.println("step: " + toJson(step));
    fCntStartRef[0] = fCntStart + rounds;
    if (counter.failure() != null) {
      throw new IllegalStateException("event stream failed", counter.failure());
    }
    return step;
  }

  /**
   * Join-requests of the OTAA devices at {@code rate}: counts {@code ns.up.join.process} (the Join
   * Server accepted, the pending session is stored, the join-accept is about to be scheduled).
   */
  private Map<String, Object> runJoinStep(EventCounter counter, double rate, double duration, int joinDevices,
      long[] nonceStartRef) throws Exception {
    long nonceStart = nonceStartRef[0];
    long total = (long) (rate * duration);
    long rounds = (total + joinDevices - 1) / joinDevices;
    EventCounter.Window w = new EventCounter.Window(nonceStart, total, true, joinDevices);
    counter.window(w);
    long cpu0 = cpuNanos(stack);
    String load0 = loadAverage();
    String gen = runGenerator(udpPort, rate, duration, nonceStart, joinDevices, true);
    long genEnd = System.currentTimeMillis();
    while (w.delivered() < total && System.currentTimeMillis() - Math.max(genEnd, counter.lastEventMillis())
        < 10_000) {
      Thread.sleep(200);
    }
    long cpu1 = cpuNanos(stack);
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("target_join_rate", rate);
    step.put("generator", raw(gen));
    long delivered = w.delivered();
    step.put("sent", total);
    step.put("processed", delivered);
    step.put("missing", total - delivered);
    step.put("duplicates", w.duplicates);
    long startMillis = Long.parseLong(String.valueOf(raw(gen).get("start_millis")));
    double seconds = Math.max(0.001, (w.lastEventMillis - startMillis) / 1000.0);
    step.put("processed_per_second", round(delivered / seconds));
    step.put("latency_p50_ms", w.percentileMicros(0.50) / 1000.0);
    step.put("latency_p99_ms", w.percentileMicros(0.99) / 1000.0);
    step.put("latency_p999_ms", w.percentileMicros(0.999) / 1000.0);
    step.put("stack_cpu_us_per_join", delivered == 0 ? -1 : round((cpu1 - cpu0) / 1e3 / delivered));
    step.put("load_before", load0);
    step.put("load_after", loadAverage());
    try {
      Files.writeString(out.resolve("metrics-join-" + joinDevices + "-" + (long) rate + ".txt"), get("/metrics").body());
    } catch (IOException e) {
      step.put("metrics_error", e.toString());
    }
    System.err.println("join step: " + toJson(step));
    nonceStartRef[0] = nonceStart + rounds;
    return step;
  }

  /** Reads the stored last FCntUp of a sample of devices through the API. */
  private Map<String, Object> checkStoredFCnts(long firstRound, long lastRound, long total) {
    Map<String, Object> r = new LinkedHashMap<>();
    // Only devices that sent in this step: all of them, or the first `total` when total < N.
    int senders = (int) Math.min(devices, total);
    int sample = Math.min(senders, Integer.parseInt(a.getOrDefault("fcnt-sample", "200")));
    int ok = 0;
    int bad = 0;
    String example = null;
    for (int k = 0; k < sample; k++) {
      int i = (int) ((long) k * senders / sample);
      // Device i sent its last uplink in round lastRound if (lastRound - firstRound) * N + i < total.
      long expected = ((lastRound - firstRound) * devices + i < total ? lastRound : lastRound - 1)
          + UplinkFrames.fCntOffset(i, fCntSpread);
      try {
        HttpResponse<String> resp = get("/api/v3/applications/bench/devices/dev-" + i
            + "?field_mask=session.last_f_cnt_up");
        Matcher m = Pattern.compile("\"last_f_cnt_up\":(\\d+)").matcher(resp.body());
        long stored = m.find() ? Long.parseLong(m.group(1)) : -1;
        if (stored == expected) {
          ok++;
        } else {
          bad++;
          if (example == null) {
            example = "dev-" + i + " expected " + expected + " stored " + stored + " (" + resp.statusCode() + ")";
          }
        }
      } catch (Exception e) {
        bad++;
        example = e.toString();
      }
    }
    r.put("sampled", sample);
    r.put("ok", ok);
    r.put("mismatch", bad);
    if (example != null) {
      r.put("example", example);
    }
    return r;
  }

  private InputStream openStream(boolean measuring, String kind) throws Exception {
    String body = "{\"identifiers\":[{\"application_ids\":{\"application_id\":\"bench\"}}]"
        + (measuring ? ",\"names\":[\"as.up.data.forward\",\"ns.up.join.process\"]" : "") + "}";
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v3/events"))
        .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
        .header("Accept", kind.equals("SSE") ? "text/event-stream" : "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    if (resp.statusCode() != 200) {
      throw new IllegalStateException("event stream: HTTP " + resp.statusCode());
    }
    return resp.body();
  }

  private static void drain(InputStream in) {
    byte[] buf = new byte[1 << 16];
    try (in) {
      while (in.read(buf) >= 0) {
        // discard
      }
    } catch (IOException e) {
      // stack stopped
    }
  }

  // --- processes ---------------------------------------------------------------------------------

  private String runGenerator(int port, double rate, double duration, long fCntStart) throws Exception {
    return runGenerator(port, rate, duration, fCntStart, devices, false);
  }

  private String runGenerator(int port, double rate, double duration, long fCntStart, int deviceCount,
      boolean join) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx512m", "-cp", benchClasspath,
        LoadGenerator.class.getName(), "--target", "127.0.0.1:" + port, "--devices", Integer.toString(deviceCount),
        "--gateways", Integer.toString(gateways), "--rate", Double.toString(rate), "--duration",
        Double.toString(duration), "--fcnt-start", Long.toString(fCntStart)));
    if (join) {
      cmd.add("--join");
    } else {
      cmd.addAll(List.of("--fcnt-spread", Integer.toString(fCntSpread)));
    }
    Process g = spawn("generator", cmd);
    String line;
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(g.getInputStream(), StandardCharsets.UTF_8))) {
      while ((line = r.readLine()) != null) {
        last = line;
      }
    }
    if (g.waitFor() != 0 || last == null) {
      throw new IllegalStateException("generator failed: " + g.exitValue());
    }
    return last;
  }

  private Process spawn(String name, List<String> cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(
        out.resolve(name + ".err").toFile()));
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private Process spawnLogged(String name, List<String> cmd) throws IOException {
    Files.writeString(out.resolve(name + ".cmd"), String.join(" ", cmd) + "\n");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(out.resolve(name + ".log").toFile());
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private void destroyAll() {
    for (Process p : processes) {
      if (p.isAlive()) {
        p.destroy();
        try {
          if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    }
    processes.clear();
  }

  private static long cpuNanos(Process p) {
    return cpuNanos(p.toHandle());
  }

  private static long cpuNanos(ProcessHandle p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /** User and system CPU ticks of {@code p} from /proc/PID/stat (fields 14 and 15), or zeros. */
  private static long[] userSysTicks(Process p) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    } catch (IOException | RuntimeException e) {
      return new long[2];
    }
  }

  /**
   * With {@code --profile} (called for measured steps, not the warm-up): attaches async-profiler
   * (the agent library inside the {@code tools.profiler:async-profiler} linux-x64 jar on this
   * driver's class path, extracted once into the output directory) to the stack JVM with
   * {@code jcmd JVMTI.agent_load}, sampling CPU every millisecond per thread for the step's
   * duration; the collapsed stacks go to {@code profile-DEVICES-RATE.collapsed}, summarised by
   * {@link ProfileSummary}. Returns that file's name, or null without {@code --profile} or when the
   * attach failed (the reason is printed; the step runs unprofiled).
   */
  private String startProfile(double rate, double duration) {
    if (!a.containsKey("profile")) {
      return null;
    }
    try {
      Path lib = out.resolve("libasyncProfiler.so");
      if (!Files.exists(lib)) {
        try (InputStream in = E2eDriver.class.getResourceAsStream("/linux-x64/libasyncProfiler.so")) {
          if (in == null) {
            System.err.println("--profile: no linux-x64/libasyncProfiler.so on the class path");
            return null;
          }
          Files.copy(in, lib);
        }
      }
      String file = "profile-" + devices + "-" + (long) rate + ".collapsed";
      String options = "start,event=cpu,interval=1ms,threads,timeout=" + (long) Math.ceil(duration)
          + ",file=" + out.resolve(file).toAbsolutePath() + ",collapsed";
      String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
      // quoted: jcmd would read an unquoted "start,event=cpu,..." as a key=value option
      String reply = exec(jcmd, Long.toString(stack.pid()), "JVMTI.agent_load",
          lib.toAbsolutePath().toString(), "\"" + options + "\"");
      if (!reply.contains("return code: 0")) {
        System.err.println("--profile: attaching failed: " + reply.trim());
        return null;
      }
      return file;
    } catch (Exception e) {
      System.err.println("--profile: " + e);
      return null;
    }
  }

  /** Heap in use after a full GC of the stack JVM (jcmd GC.run, then GC.heap_info). */
  private long heapUsedAfterGc() throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    exec(jcmd, Long.toString(stack.pid()), "GC.run");
    String info = exec(jcmd, Long.toString(stack.pid()), "GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
  }

  private static String exec(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return s;
  }

  // --- HTTP --------------------------------------------------------------------------------------

  /** The stack's counters now; empty if /metrics cannot be read. */
  private StackCounters stackCounters() throws InterruptedException {
    try {
      return StackCounters.parse(get("/metrics").body());
    } catch (IOException e) {
      return StackCounters.parse("");
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private void post(String path, String body, boolean conflictOk) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    int s = resp.statusCode();
    if (s / 100 != 2 && !(conflictOk && s == 409)) {
      throw new IOException("POST " + path + ": HTTP " + s + " " + resp.body());
    }
  }

  // --- helpers -----------------------------------------------------------------------------------

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static Map<String, Object> raw(String json) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (json == null) {
      return m;
    }
    Matcher x = Pattern.compile("\"([a-z_]+)\":([^,}]+)").matcher(json);
    while (x.find()) {
      m.put(x.group(1), x.group(2));
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  static String toJson(Object o) {
    if (o instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        b.append(jsonString(String.valueOf(e.getKey()))).append(':').append(toJson(e.getValue()));
      }
      return b.append('}').toString();
    }
    if (o instanceof List<?> l) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(toJson(l.get(i)));
      }
      return b.append(']').toString();
    }
    if (o instanceof Number || o instanceof Boolean) {
      return o.toString();
    }
    if (o instanceof String s && s.matches("-?[0-9.]+")) {
      return s;
    }
    return jsonString(String.valueOf(o));
  }

  /** {@code s} as a JSON string (metric series names as keys carry quotes). */
  static String jsonString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
