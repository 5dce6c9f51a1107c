package dev.loralab.applicationserver;

import dev.loralab.api.ApiException;
import dev.loralab.api.AsJs;
import dev.loralab.api.AsNs;
import dev.loralab.api.v3.AppSKeyResponse;
import dev.loralab.api.v3.ApplicationDownlink;
import dev.loralab.api.v3.ApplicationDownlinks;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.DownlinkQueueRequest;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.KeyEnvelope;
import dev.loralab.api.v3.SessionKeyRequest;
import dev.loralab.events.testing.RecordingEventBus;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/** An application server wired to fakes: Join Server, Network Server queue, recording event bus. */
final class AsTestFixture implements AutoCloseable {

  static final String APP = "app1";
  static final String DEV = "dev2";

  final InMemoryApplicationServerStore store = new InMemoryApplicationServerStore();
  final FakeJoinServer js = new FakeJoinServer();
  final FakeNetworkServer ns = new FakeNetworkServer();
  final RecordingEventBus bus = new RecordingEventBus();
  final ExecutorService executor = Executors.newFixedThreadPool(2);
  final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  final ApplicationServer as;

  AsTestFixture() {
    this(ApplicationServerConfig.defaults());
  }

  AsTestFixture(ApplicationServerConfig config) {
    as = ApplicationServer.builder().config(config).store(store).joinServer(js).networkServer(ns)
        .events(bus).clock(Clock.systemUTC()).executor(executor).scheduler(scheduler)
        .httpClient(http).build();
  }

  static EndDeviceIdentifiers ids() {
    return EndDeviceIdentifiers.newBuilder().setDeviceId(DEV)
        .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId(APP))
        .setDevEui("70B3D57ED0050EAD").setJoinEui("0000000000000000").setDevAddr("00FF52E3")
        .build();
  }

  static EndDeviceIdentifiers ids(String devAddr) {
    return ids().toBuilder().setDevAddr(devAddr).build();
  }

  /** Polls {@code condition} for up to 30 s (no timing assertions). */
  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    as.close();
    executor.shutdownNow();
    scheduler.shutdownNow();
  }

  /** Answers AppSKey requests from a map of session key ID (base64) to key; NOT_FOUND otherwise. */
  static final class FakeJoinServer implements AsJs {
    final Map<com.google.protobuf.ByteString, String> keys = new ConcurrentHashMap<>();
    final List<SessionKeyRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<AppSKeyResponse> getAppSKey(SessionKeyRequest req) {
      requests.add(req);
      String key = keys.get(req.getSessionKeyId());
      if (key == null) {
        return CompletableFuture.failedFuture(ApiException.notFound("session key"));
      }
      return CompletableFuture.completedFuture(AppSKeyResponse.newBuilder()
          .setAppSKey(KeyEnvelope.newBuilder().setKey(key)).build());
    }
  }

  /** Records queue operations; keeps one queue per device. */
  static final class FakeNetworkServer implements AsNs {
    final List<DownlinkQueueRequest> pushes = new CopyOnWriteArrayList<>();
    final List<DownlinkQueueRequest> replaces = new CopyOnWriteArrayList<>();
    final List<ApplicationDownlink> queue = new CopyOnWriteArrayList<>();
    volatile ApiException failWith;

    @Override
    public CompletableFuture<Void> downlinkQueuePush(DownlinkQueueRequest req) {
      if (failWith != null) {
        return CompletableFuture.failedFuture(failWith);
      }
      pushes.add(req);
      queue.addAll(req.getDownlinksList());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> downlinkQueueReplace(DownlinkQueueRequest req) {
      if (failWith != null) {
        return CompletableFuture.failedFuture(failWith);
      }
      replaces.add(req);
      queue.clear();
      queue.addAll(req.getDownlinksList());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<ApplicationDownlinks> downlinkQueueList(EndDeviceIdentifiers ids) {
      return CompletableFuture.completedFuture(ApplicationDownlinks.newBuilder()
          .addAllDownlinks(new ArrayList<>(queue)).build());
    }
  }
}
