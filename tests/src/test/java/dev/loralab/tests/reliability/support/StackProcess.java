package dev.loralab.tests.reliability.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code loralab start} in a separate JVM (the test's own class path, main class
 * {@code dev.loralab.cli.LoraLab}) on fixed loopback ports and a given data directory, so that it
 * can be killed with SIGKILL and started again on the same state. Its stdout and stderr go to a
 * log file the test can search.
 */
public final class StackProcess implements AutoCloseable {

  /** How long a start may take on a slow, loaded machine (JVM start, RocksDB open). */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  /** The line {@code loralab start} prints once every listener is bound. */
  private static final String READY = "LoRaLab is running.";

  /**
   * The three listening ports.
   *
   * @param http HTTP API
   * @param grpc gRPC API
   * @param udp Semtech UDP
   */
  public record Ports(int http, int grpc, int udp) {
    /** Ports free on loopback right now. */
    public static Ports free() {
      return new Ports(FreePorts.tcp(), FreePorts.tcp(), FreePorts.udp());
    }
  }

  private final Process process;
  private final Path dataDir;
  private final Ports ports;
  private final Path log;

  private StackProcess(Process process, Path dataDir, Ports ports, Path log) {
    this.process = process;
    this.dataDir = dataDir;
    this.ports = ports;
    this.log = log;
  }

  /**
   * Starts the stack and waits until it has printed its banner (every listener bound).
   *
   * @param dataDir the data directory (created if needed)
   * @param ports the ports to bind on 127.0.0.1
   * @param log where stdout and stderr go (overwritten)
   * @param extraArgs more {@code loralab start} arguments, e.g. {@code --log-level DEBUG}
   */
  public static StackProcess start(Path dataDir, Ports ports, Path log, String... extraArgs) {
    try {
      Files.createDirectories(dataDir);
      Path work = Files.createDirectories(dataDir.resolveSibling(dataDir.getFileName() + "-cwd"));
      // The class path can be long: pass it in an argument file (JEP 293).
      Path argFile = work.resolve("java-args");
      String cp = System.getProperty("java.class.path");
      Files.writeString(argFile, "-cp \"" + cp.replace("\\", "\\\\") + "\"\n", StandardCharsets.UTF_8);
      List<String> cmd = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "@" + argFile,
          "dev.loralab.cli.LoraLab", "start",
          "--data-dir", dataDir.toString(),
          "--http-port", Integer.toString(ports.http()),
          "--grpc-port", Integer.toString(ports.grpc()),
          "--udp-port", Integer.toString(ports.udp()),
          "--set", "http.bind=127.0.0.1",
          "--set", "grpc.bind=127.0.0.1",
          "--set", "udp.bind=127.0.0.1",
          "--set", "identity-server.api-key-hash-iterations=1000"));
      cmd.addAll(List.of(extraArgs));
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("LORALAB_"));
      StackProcess p = new StackProcess(pb.start(), dataDir, ports, log);
      p.awaitReady();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start loralab", e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (log().contains(READY)) {
        awaitHealthy(deadline);
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("loralab exited with " + process.exitValue() + " before it was ready:\n" + tail());
      }
      sleep(200);
    }
    process.destroyForcibly();
    throw new AssertionError("loralab not ready within " + START_TIMEOUT + ":\n" + tail());
  }

  private void awaitHealthy(long deadline) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest req = HttpRequest.newBuilder(httpBase().resolve("/healthz")).timeout(Duration.ofSeconds(20)).build();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      sleep(200);
    }
    throw new AssertionError("loralab /healthz not answering:\n" + tail());
  }

  /** Where the processes' logs are kept for a failure's post-mortem: {@code target/reliability-logs}. */
  public static Path logDirectory() {
    try {
      return Files.createDirectories(Path.of("target", "reliability-logs").toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<http port>}. */
  public URI httpBase() {
    return URI.create("http://127.0.0.1:" + ports.http());
  }

  /** The Semtech UDP address. */
  public InetSocketAddress udpAddress() {
    return new InetSocketAddress("127.0.0.1", ports.udp());
  }

  public Ports ports() {
    return ports;
  }

  /** The admin API key the stack wrote on its first start. */
  public String adminKey() {
    try {
      return Files.readString(dataDir.resolve("admin-api-key"), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no flush, no orderly close of the database. */
  public void kill() {
    process.destroyForcibly();
    waitFor(process);
  }

  /** Everything the process wrote so far. */
  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last lines of {@link #log()}, for failure messages. */
  public String tail() {
    String s = log();
    return s.length() <= 6000 ? s : "..." + s.substring(s.length() - 6000);
  }

  /** SIGTERM (orderly shutdown), SIGKILL if it does not stop in time. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    waitFor(process);
  }

  private static void waitFor(Process p) {
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("loralab process " + p.pid() + " did not terminate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
