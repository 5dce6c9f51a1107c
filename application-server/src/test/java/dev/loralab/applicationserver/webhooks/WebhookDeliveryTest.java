package dev.loralab.applicationserver.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import com.google.protobuf.util.Timestamps;
import com.sun.net.httpserver.HttpServer;
import dev.loralab.api.ApiException;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.v3.ApplicationIdentifiers;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationUplink;
import dev.loralab.api.v3.ApplicationWebhook;
import dev.loralab.api.v3.EndDeviceIdentifiers;
import dev.loralab.api.v3.SetApplicationWebhookRequest;
import dev.loralab.applicationserver.ApplicationServer;
import dev.loralab.applicationserver.ApplicationServerConfig;
import dev.loralab.applicationserver.AsSession;
import dev.loralab.applicationserver.InMemoryApplicationServerStore;
import dev.loralab.events.Event;
import dev.loralab.events.testing.RecordingEventBus;
import dev.loralab.lorawan.AesKey;
import dev.loralab.lorawan.DevAddr;
import dev.loralab.lorawan.crypto.PayloadCipher;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookDeliveryTest {

  private static final String KEY = "01010101010101010101010101010101";
  private static final EndDeviceIdentifiers IDS = EndDeviceIdentifiers.newBuilder()
      .setDeviceId("dev1").setDevAddr("01020304")
      .setApplicationIds(ApplicationIdentifiers.newBuilder().setApplicationId("app1")).build();

  record Received(String path, Map<String, List<String>> headers, String body) {
  }

  private HttpServer receiver;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final RecordingEventBus events = new RecordingEventBus();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
  private final InMemoryApplicationServerStore store = new InMemoryApplicationServerStore();
  private ApplicationServer as;

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
      if (status == 200) {
        received.add(new Received(exchange.getRequestURI().getPath(),
            Map.copyOf(exchange.getRequestHeaders()), new String(body, StandardCharsets.UTF_8)));
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    receiver.start();
    WebhookDeliveryPolicy policy = new WebhookDeliveryPolicy(3, Duration.ofMillis(10),
        Duration.ofMillis(50), Duration.ofSeconds(20), 1024, 4, 8, 256);
    as = ApplicationServer.builder().config(ApplicationServerConfig.defaults().withWebhooks(policy))
        .store(store).joinServer(req -> CompletableFuture.failedFuture(
            ApiException.notFound("key")))
        .networkServer(new NoNetworkServer())
        .events(events).clock(Clock.systemUTC()).executor(executor).scheduler(scheduler)
        .httpClient(HttpClient.newHttpClient()).build();
    store.putSession(IDS, new AsSession(ByteString.copyFromUtf8("s"), AesKey.parse(KEY),
        DevAddr.parse("01020304"), 0));
  }

  @AfterEach
  void stop() {
    as.close();
    receiver.stop(0);
    executor.shutdownNow();
    scheduler.shutdownNow();
  }

  private String baseUrl() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
  }

  private ApplicationWebhook create(String id) {
    ApplicationWebhook w = ApplicationWebhook.newBuilder()
        .setIds(ApplicationWebhookRegistry.ids("app1", id))
        .setBaseUrl(baseUrl())
        .putHeaders("Authorization", "Bearer secret-token")
        .putHeaders("X-Custom", "yes")
        .setUplinkMessage(ApplicationWebhook.Message.newBuilder().setPath("/uplink"))
        .build();
    return as.webhooks().set(SetApplicationWebhookRequest.newBuilder().setWebhook(w).build());
  }

  private static ApplicationUp uplink(int fCnt) throws Exception {
    byte[] enc = PayloadCipher.frmPayload(AesKey.parse(KEY), true, DevAddr.parse("01020304"), fCnt,
        ("msg" + fCnt).getBytes(StandardCharsets.UTF_8));
    return ApplicationUp.newBuilder().setEndDeviceIds(IDS)
        .setReceivedAt(Timestamps.parse("2022-07-05T09:05:00Z"))
        .setUplinkMessage(ApplicationUplink.newBuilder().setSessionKeyId(ByteString.copyFromUtf8(
            "s")).setFPort(1).setFCnt(fCnt).setFrmPayload(ByteString.copyFrom(enc))).build();
  }

  private static void await(java.util.function.BooleanSupplier c, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void receiverGetsEveryUplinkWithHeadersInOrderAndAfterA500() throws Exception {
    create("hook1");
    failuresLeft.set(1);
    List<ApplicationUp> ups = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      ups.add(uplink(i));
    }
    as.handleUplink(ups).get();
    await(() -> received.size() == 5, "5 webhook deliveries");
    for (int i = 0; i < 5; i++) {
      Received r = received.get(i);
      assertThat(r.path()).isEqualTo("/hooks/uplink");
      assertThat(r.headers().get("Authorization")).containsExactly("Bearer secret-token");
      assertThat(r.headers().get("X-custom")).containsExactly("yes");
      assertThat(r.headers().get("Content-type")).containsExactly("application/json");
      ApplicationUp up = ProtoJson.parse(r.body(), ApplicationUp.newBuilder()).build();
      assertThat(up.getUplinkMessage().getFCnt()).isEqualTo(i + 1);
      assertThat(up.getUplinkMessage().getFrmPayload().toStringUtf8()).isEqualTo("msg" + (i + 1));
    }
    assertThat(events.events()).noneMatch(e -> e.name().equals("as.webhook.fail"));
  }

  @Test
  void giveUpAfterMaxAttemptsWithAnEvent() throws Exception {
    create("hook1");
    failuresLeft.set(3);
    as.handleUplink(List.of(uplink(1), uplink(2))).get();
    await(() -> received.size() == 1, "the second uplink");
    assertThat(received.get(0).body()).contains("\"f_cnt\":2");
    await(() -> events.has("as.webhook.fail"), "fail event");
    Event fail = events.first("as.webhook.fail");
    assertThat(fail.toJson()).contains("after 3 attempt(s)").contains("HTTP status 500");
  }

  @Test
  void webhooksNotSubscribedToATypeGetNothing() throws Exception {
    ApplicationWebhook w = ApplicationWebhook.newBuilder()
        .setIds(ApplicationWebhookRegistry.ids("app1", "joins-only")).setBaseUrl(baseUrl())
        .setJoinAccept(ApplicationWebhook.Message.getDefaultInstance()).build();
    as.webhooks().set(SetApplicationWebhookRequest.newBuilder().setWebhook(w).build());
    create("hook1");
    as.handleUplink(List.of(uplink(1))).get();
    await(() -> received.size() == 1, "one delivery");
    await(() -> as.webhookDispatcher().pending() == 0, "idle dispatcher");
    assertThat(received).hasSize(1);
    assertThat(received.get(0).path()).isEqualTo("/hooks/uplink");
  }

  @Test
  void registryValidatesAndMasks() {
    ApplicationWebhook created = create("hook1");
    assertThat(created.getFormat()).isEqualTo("json");
    assertThat(created.hasCreatedAt()).isTrue();
    assertThat(as.webhooks().list(IDS.getApplicationIds(), FieldMask.getDefaultInstance())
        .getWebhooksList()).containsExactly(created);
    ApplicationWebhook masked = as.webhooks().get(created.getIds(),
        FieldMask.newBuilder().addPaths("base_url").build());
    assertThat(masked.getHeadersMap()).isEmpty();
    assertThat(masked.getBaseUrl()).isEqualTo(baseUrl());

    ApplicationWebhook update = ApplicationWebhook.newBuilder().setIds(created.getIds())
        .setBaseUrl("https://example.com/x").build();
    ApplicationWebhook updated = as.webhooks().set(SetApplicationWebhookRequest.newBuilder()
        .setWebhook(update).setFieldMask(FieldMask.newBuilder().addPaths("base_url")).build());
    assertThat(updated.getBaseUrl()).isEqualTo("https://example.com/x");
    assertThat(updated.getHeadersMap()).containsEntry("X-Custom", "yes");
    assertThat(updated.getCreatedAt()).isEqualTo(created.getCreatedAt());

    assertThatThrownBy(() -> as.webhooks().set(SetApplicationWebhookRequest.newBuilder()
        .setWebhook(update.toBuilder().setBaseUrl("ftp://example.com")).build()))
        .isInstanceOf(ApiException.class).hasMessageContaining("base_url");
    assertThatThrownBy(() -> as.webhooks().set(SetApplicationWebhookRequest.newBuilder()
        .setWebhook(update.toBuilder().putHeaders("Host", "evil")).build()))
        .isInstanceOf(ApiException.class).hasMessageContaining("headers.Host");
    assertThatThrownBy(() -> as.webhooks().set(SetApplicationWebhookRequest.newBuilder()
        .setWebhook(update.toBuilder().setIds(ApplicationWebhookRegistry.ids("app1", "Bad_ID")))
        .build())).isInstanceOf(ApiException.class).hasMessageContaining("webhook_id");
    for (int i = 2; i <= 4; i++) {
      create("hook" + i);
    }
    assertThatThrownBy(() -> create("hook5")).isInstanceOf(ApiException.class)
        .hasMessageContaining("has 4 webhooks");
    as.webhooks().delete(created.getIds());
    assertThatThrownBy(() -> as.webhooks().delete(created.getIds()))
        .isInstanceOf(ApiException.class).hasMessageContaining("not found");
  }

  /** A Network Server that is never called in these tests. */
  private static final class NoNetworkServer implements dev.loralab.api.AsNs {
    @Override
    public CompletableFuture<Void> downlinkQueuePush(dev.loralab.api.v3.DownlinkQueueRequest r) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> downlinkQueueReplace(
        dev.loralab.api.v3.DownlinkQueueRequest r) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<dev.loralab.api.v3.ApplicationDownlinks> downlinkQueueList(
        EndDeviceIdentifiers ids) {
      throw new UnsupportedOperationException();
    }
  }
}
