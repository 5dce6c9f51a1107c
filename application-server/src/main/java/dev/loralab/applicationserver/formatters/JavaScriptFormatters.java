package dev.loralab.applicationserver.formatters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.ProtoJsonException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * Runs JavaScript payload formatters with The Things Stack's signatures in a GraalJS sandbox:
 * {@code decodeUplink(input)} with {@code input = {bytes, fPort, recvTime}} returning
 * {@code {data, warnings, errors}}, {@code encodeDownlink({data, fPort})} returning
 * {@code {bytes, fPort, warnings, errors}} and {@code decodeDownlink({bytes, fPort})} returning
 * {@code {data, warnings, errors}}.
 *
 * <p>Each invocation gets a fresh context on one shared engine (parsed scripts are cached per
 * script hash): no host access, no IO, no threads, no polyglot access, a statement limit, and a
 * watchdog that cancels the context when the time limit or the allocation limit is exceeded.
 * Values cross the sandbox boundary as JSON text only. Invocations block the calling thread for at
 * most about the time limit: never call from a network event loop.
 */
public final class JavaScriptFormatters implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_CACHED_SOURCES = 256;

  /** Calls the formatter function with the parsed JSON input and returns the JSON result. */
  private static final String ADAPTER = """
      (function (fn, json, withDate) {
        var input = JSON.parse(json);
        if (withDate) { input.recvTime = new Date(input.recvTime); }
        var result = fn(input);
        return result === undefined ? 'null' : JSON.stringify(result);
      })
      """;

  /** Removes host-facing globals; they are unusable in the sandbox anyway. */
  private static final String PRELUDE = """
      ['Java', 'Polyglot', 'load', 'loadWithNewGlobal', 'quit', 'exit'].forEach(function (n) {
        try { delete globalThis[n]; } catch (e) { }
      });
      """;

  private final Engine engine;
  private final JavaScriptLimits limits;
  private final ScheduledExecutorService watchdog;
  private final Source adapter;
  private final Source prelude;
  private final Map<String, Source> sources = new ConcurrentHashMap<>();
  private final AtomicBoolean warm = new AtomicBoolean();
  /** Wall-clock time, in multiples of the time limit, after which a stalled invocation stops. */
  static final long STALL_FACTOR = 20;

  /**
   * @param limits sandbox limits of each invocation
   * @param watchdog runs the time and allocation checks (not the scripts)
   */
  public JavaScriptFormatters(JavaScriptLimits limits, ScheduledExecutorService watchdog) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
    this.engine = Engine.newBuilder("js")
        .option("engine.WarnInterpreterOnly", "false")
        .build();
    this.adapter = Source.newBuilder("js", ADAPTER, "loralab-formatter-adapter.js")
        .cached(true).buildLiteral();
    this.prelude = Source.newBuilder("js", PRELUDE, "loralab-formatter-prelude.js")
        .cached(true).buildLiteral();
  }

  /**
   * Runs a trivial formatter without the time limit, so that later invocations do not pay the
   * engine's start-up (class loading, parsing of the adapter) inside their limit. Only the first
   * call does anything; if no one calls it, the first invocation does, before its limit starts.
   */
  public void warmUp() {
    synchronized (warm) {
      if (!warm.get()) {
        runWarmUp();
        warm.set(true);
      }
    }
  }

  private void runWarmUp() {
    try (Context context = Context.newBuilder("js").engine(engine).allowAllAccess(false)
        .allowHostAccess(HostAccess.NONE).allowIO(IOAccess.NONE)
        .resourceLimits(ResourceLimits.newBuilder().statementLimit(limits.statementLimit(), null)
            .build()).build()) {
      context.eval(prelude);
      context.eval("js", "function decodeUplink(i) { return {data: {n: i.bytes.length}}; }");
      context.eval(adapter).execute(context.getBindings("js").getMember("decodeUplink"),
          "{\"bytes\":[1],\"fPort\":1,\"recvTime\":\"1970-01-01T00:00:00Z\"}", true);
    }
  }

  /** The limits applied to each invocation. */
  public JavaScriptLimits limits() {
    return limits;
  }

  /**
   * Runs {@code decodeUplink}.
   *
   * @throws PayloadFormatterException if the script fails, exceeds a limit, returns errors or a
   *     result without an object {@code data}
   */
  public DecodedPayload decodeUplink(String script, byte[] frmPayload, int fPort,
      Instant receivedAt) {
    ObjectNode input = JSON.createObjectNode();
    input.set("bytes", bytesNode(frmPayload));
    input.put("fPort", fPort);
    input.put("recvTime", (receivedAt == null ? Instant.EPOCH : receivedAt).toString());
    JsonNode result = invoke(script, "decodeUplink", input, true);
    return decoded("decodeUplink", result);
  }

  /**
   * Runs {@code decodeDownlink}.
   *
   * @throws PayloadFormatterException as {@link #decodeUplink}
   */
  public DecodedPayload decodeDownlink(String script, byte[] frmPayload, int fPort) {
    ObjectNode input = JSON.createObjectNode();
    input.set("bytes", bytesNode(frmPayload));
    input.put("fPort", fPort);
    return decoded("decodeDownlink", invoke(script, "decodeDownlink", input, false));
  }

  /**
   * Runs {@code encodeDownlink}.
   *
   * @param fPort the requested FPort, or 0 if none
   * @throws PayloadFormatterException if the script fails, exceeds a limit, returns errors, or
   *     returns {@code bytes} that are not integers 0..255 or an {@code fPort} outside 1..255
   */
  public EncodedPayload encodeDownlink(String script, Struct data, int fPort) {
    ObjectNode input = JSON.createObjectNode();
    try {
      input.set("data", JSON.readTree(ProtoJson.print(data)));
    } catch (JsonProcessingException | ProtoJsonException e) {
      throw new PayloadFormatterException("data", "not representable as JSON: " + e.getMessage(), e);
    }
    if (fPort > 0) {
      input.put("fPort", fPort);
    }
    JsonNode result = invoke(script, "encodeDownlink", input, false);
    checkErrors("encodeDownlink", result);
    JsonNode bytes = result.get("bytes");
    if (bytes == null || !bytes.isArray()) {
      throw new PayloadFormatterException("encodeDownlink result bytes", "an array of bytes",
          bytes == null ? "nothing" : bytes.getNodeType().toString().toLowerCase());
    }
    byte[] out = new byte[bytes.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode b = bytes.get(i);
      if (!b.isIntegralNumber() || b.asLong() < 0 || b.asLong() > 255) {
        throw new PayloadFormatterException("encodeDownlink result bytes[" + i + "]",
            "an integer 0..255", b.toString());
      }
      out[i] = (byte) b.asInt();
    }
    OptionalInt port = OptionalInt.empty();
    JsonNode p = result.get("fPort");
    if (p != null && !p.isNull()) {
      if (!p.isIntegralNumber() || p.asLong() < 1 || p.asLong() > 255) {
        throw new PayloadFormatterException("encodeDownlink result fPort", "an integer 1..255",
            p.toString());
      }
      port = OptionalInt.of(p.asInt());
    }
    return new EncodedPayload(ByteString.copyFrom(out), port, strings(result.get("warnings")));
  }

  private static ArrayNode bytesNode(byte[] payload) {
    ArrayNode a = JSON.createArrayNode();
    for (byte b : payload) {
      a.add(b & 0xFF);
    }
    return a;
  }

  private static DecodedPayload decoded(String function, JsonNode result) {
    checkErrors(function, result);
    JsonNode data = result.get("data");
    if (data == null || !data.isObject()) {
      throw new PayloadFormatterException(function + " result data", "an object",
          data == null ? "nothing" : data.getNodeType().toString().toLowerCase());
    }
    Struct struct;
    try {
      struct = ProtoJson.parse(data.toString(), Struct.newBuilder()).build();
    } catch (ProtoJsonException e) {
      throw new PayloadFormatterException(function + " result data", e.getMessage(), e);
    }
    return new DecodedPayload(struct, strings(result.get("warnings")));
  }

  private static void checkErrors(String function, JsonNode result) {
    if (!result.isObject()) {
      throw new PayloadFormatterException(function + " result", "an object",
          result.getNodeType().toString().toLowerCase());
    }
    List<String> errors = strings(result.get("errors"));
    if (!errors.isEmpty()) {
      throw new PayloadFormatterException(function, "returned errors: "
          + String.join("; ", errors), (Throwable) null);
    }
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node != null && node.isArray()) {
      for (JsonNode n : node) {
        out.add(n.isTextual() ? n.asText() : n.toString());
      }
    } else if (node != null && !node.isNull()) {
      out.add(node.isTextual() ? node.asText() : node.toString());
    }
    return out;
  }

  private JsonNode invoke(String script, String function, ObjectNode input, boolean withDate) {
    if (script == null || script.isBlank()) {
      throw new PayloadFormatterException("formatter script", "a JavaScript source", "nothing");
    }
    if (script.length() > limits.maxScriptChars()) {
      throw new PayloadFormatterException("formatter script", "at most "
          + limits.maxScriptChars() + " characters", script.length() + " characters");
    }
    // the engine's one-time start-up takes far longer than an invocation on a loaded machine:
    // pay it before the watch starts, whether or not the owner warmed up at start-up
    if (!warm.get()) {
      try {
        warmUp();
      } catch (RuntimeException e) {
        warm.set(true); // not retried per invocation; the invocation reports the failure
      }
    }
    Source source = source(script);
    Context context = Context.newBuilder("js")
        .engine(engine)
        .allowAllAccess(false)
        .allowHostAccess(HostAccess.NONE)
        .allowHostClassLookup(name -> false)
        .allowIO(IOAccess.NONE)
        .allowCreateThread(false)
        .allowNativeAccess(false)
        .allowCreateProcess(false)
        .allowPolyglotAccess(PolyglotAccess.NONE)
        .allowEnvironmentAccess(org.graalvm.polyglot.EnvironmentAccess.NONE)
        .resourceLimits(ResourceLimits.newBuilder().statementLimit(limits.statementLimit(), null)
            .build())
        .build();
    Watch watch = new Watch(context);
    try {
      watch.start();
      context.eval(prelude);
      context.eval(source);
      Value fn = context.getBindings("js").getMember(function);
      if (fn == null || !fn.canExecute()) {
        throw new PayloadFormatterException(function, "a function " + function
            + "(input) defined by the script", "none");
      }
      Value out = context.eval(adapter).execute(fn, input.toString(), withDate);
      String json = out.isString() ? out.asString() : "null";
      watch.stop();
      if (json.length() > limits.maxResultChars()) {
        throw new PayloadFormatterException(function + " result", "at most "
            + limits.maxResultChars() + " characters of JSON", json.length() + " characters");
      }
      return JSON.readTree(json);
    } catch (PolyglotException e) {
      watch.stop();
      throw translate(function, e, watch.reason.get());
    } catch (JsonProcessingException e) {
      throw new PayloadFormatterException(function + " result", "valid JSON", e.getOriginalMessage());
    } catch (IllegalStateException e) {
      // The watchdog closed the context between two polyglot calls.
      watch.stop();
      String reason = watch.reason.get();
      throw new PayloadFormatterException(function, reason != null ? reason
          : "formatter context closed: " + e.getMessage(), e);
    } finally {
      watch.stop();
      try {
        context.close(true);
      } catch (RuntimeException ignored) {
        // already closed by the watchdog
      }
    }
  }

  private PayloadFormatterException translate(String function, PolyglotException e,
      String watchdogReason) {
    if (watchdogReason != null) {
      return new PayloadFormatterException(function, watchdogReason, e);
    }
    if (e.isResourceExhausted()) {
      return new PayloadFormatterException(function, "formatter exceeded "
          + limits.statementLimit() + " statements", e);
    }
    if (e.isCancelled()) {
      return new PayloadFormatterException(function, "formatter was cancelled", e);
    }
    if (e.isSyntaxError()) {
      return new PayloadFormatterException(function, "syntax error: " + e.getMessage(), e);
    }
    if (e.isGuestException()) {
      String where = e.getSourceLocation() == null ? ""
          : " (line " + e.getSourceLocation().getStartLine() + ")";
      return new PayloadFormatterException(function, "script error: " + e.getMessage() + where, e);
    }
    return new PayloadFormatterException(function, "formatter failed: " + e.getMessage(), e);
  }

  private Source source(String script) {
    String key = sha256(script);
    Source s = sources.get(key);
    if (s == null) {
      if (sources.size() >= MAX_CACHED_SOURCES) {
        sources.clear();
      }
      s = Source.newBuilder("js", script, "formatter-" + key.substring(0, 12) + ".js")
          .cached(true).buildLiteral();
      sources.put(key, s);
    }
    return s;
  }

  private static String sha256(String script) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Cancels the context when the time or allocation limit is exceeded. */
  private final class Watch {
    private final Context context;
    private final Thread thread = Thread.currentThread();
    private final AtomicReference<String> reason = new AtomicReference<>();
    private long startNanos;
    private long startCpu;
    private long startAllocated;
    private ScheduledFuture<?> task;

    Watch(Context context) {
      this.context = context;
    }

    void start() {
      startNanos = System.nanoTime();
      startCpu = cpuTime();
      startAllocated = allocated();
      long period = limits.watchdogPeriod().toNanos();
      task = watchdog.scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
    }

    void stop() {
      ScheduledFuture<?> t = task;
      if (t != null) {
        t.cancel(false);
      }
    }

    private void check() {
      if (reason.get() != null) {
        return;
      }
      // The limit is on the script's work: CPU time of the invoking thread, which a loaded
      // machine does not inflate (wall-clock time where the JVM cannot measure it). A stalled
      // invocation is stopped after STALL_FACTOR times the limit of wall-clock time.
      long wall = System.nanoTime() - startNanos;
      long cpu = startCpu >= 0 ? cpuTime() - startCpu : wall;
      long limit = limits.timeLimit().toNanos();
      String r = null;
      if (cpu > limit) {
        r = "formatter exceeded " + limits.timeLimit().toMillis() + " ms";
      } else if (wall > limit * STALL_FACTOR) {
        r = "formatter exceeded " + limits.timeLimit().toMillis() + " ms: stalled for "
            + wall / 1_000_000 + " ms";
      } else if (startAllocated >= 0 && allocated() - startAllocated > limits.allocationLimitBytes()) {
        r = "formatter exceeded the allocation limit of " + limits.allocationLimitBytes() + " bytes";
      }
      if (r != null && reason.compareAndSet(null, r)) {
        stop();
        try {
          context.close(true);
        } catch (RuntimeException ignored) {
          // the invocation finished concurrently
        }
      }
    }

    private long cpuTime() {
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      if (mx.isThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled()) {
        return mx.getThreadCpuTime(thread.getId());
      }
      return -1;
    }

    private long allocated() {
      if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx
          && mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled()) {
        return mx.getThreadAllocatedBytes(thread.getId());
      }
      return -1;
    }
  }

  /** Closes the shared engine. */
  @Override
  public void close() {
    engine.close(true);
  }
}
