package dev.loralab.applicationserver.webhooks;

import dev.loralab.api.ApiException;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.v3.ApplicationUp;
import dev.loralab.api.v3.ApplicationWebhook;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.applicationserver.ApplicationServerEvents;
import dev.loralab.applicationserver.ApplicationServerStore;
import dev.loralab.events.CorrelationIds;
import dev.loralab.events.EventBus;
import dev.loralab.events.EventFactory;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@link ApplicationUp} messages to the application's webhooks: an HTTP POST of the
 * message's protobuf JSON to {@code base_url + path} with the webhook's headers.
 *
 * <p>{@link #dispatch} never blocks: each webhook has a bounded queue (full means the message is
 * dropped and counted) and one request in flight at a time, so messages arrive in order. A 5xx,
 * 408, 429 or transport error is retried with exponential backoff up to the policy's attempts; then
 * the message is dropped with an {@code as.webhook.fail} event.
 */
public final class WebhookDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

  private final ApplicationServerStore store;
  private final WebhookDeliveryPolicy policy;
  private final HttpClient http;
  private final ScheduledExecutorService scheduler;
  private final EventBus events;
  private final EventFactory eventFactory;
  private final Map<String, WebhookQueue> queues = new ConcurrentHashMap<>();
  private final Counter delivered;
  private final Counter retried;
  private final Counter failed;
  private final Counter dropped;

  /**
   * @param store reads the application's webhooks
   * @param policy retries, backoff, timeouts and queue capacity
   * @param http sends the requests (asynchronously)
   * @param scheduler schedules retries
   * @param events receives {@code as.webhook.fail}
   * @param eventFactory stamps events
   * @param meters counters {@code loralab.as.webhook.*}
   */
  public WebhookDispatcher(ApplicationServerStore store, WebhookDeliveryPolicy policy,
      HttpClient http, ScheduledExecutorService scheduler, EventBus events,
      EventFactory eventFactory, MeterRegistry meters) {
    this.store = Objects.requireNonNull(store, "store");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.http = Objects.requireNonNull(http, "http");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.events = Objects.requireNonNull(events, "events");
    this.eventFactory = Objects.requireNonNull(eventFactory, "eventFactory");
    this.delivered = meters.counter("loralab.as.webhook.delivered");
    this.retried = meters.counter("loralab.as.webhook.retried");
    this.failed = meters.counter("loralab.as.webhook.failed");
    this.dropped = meters.counter("loralab.as.webhook.dropped");
  }

  /** {@code base} joined with {@code path} by exactly one slash (when path is not empty). */
  static String url(String base, String path) {
    if (path == null || path.isEmpty()) {
      return base;
    }
    boolean slashBase = base.endsWith("/");
    boolean slashPath = path.startsWith("/");
    if (slashBase && slashPath) {
      return base + path.substring(1);
    }
    return slashBase || slashPath ? base + path : base + "/" + path;
  }

  /**
   * Queues {@code up} for every webhook of its application that subscribes to its type. Never
   * blocks on the network.
   */
  public void dispatch(ApplicationUp up) {
    WebhookMessageType type = WebhookMessageType.of(up).orElse(null);
    if (type == null) {
      return;
    }
    String body = null;
    for (ApplicationWebhook w : store.webhooks(up.getEndDeviceIds().getApplicationIds())) {
      ApplicationWebhook.Message m = type.message(w).orElse(null);
      if (m == null) {
        continue;
      }
      if (body == null) {
        body = ProtoJson.print(up);
      }
      String key = w.getIds().getApplicationIds().getApplicationId() + "/"
          + w.getIds().getWebhookId();
      WebhookQueue q = queues.computeIfAbsent(key, k -> new WebhookQueue());
      q.offer(new Delivery(w, url(w.getBaseUrl(), m.getPath()), body,
          CorrelationIds.of(up.getCorrelationIdsList())));
    }
  }

  /** Messages waiting or in flight for all webhooks (for tests and metrics). */
  public int pending() {
    int n = 0;
    for (WebhookQueue q : queues.values()) {
      n += q.size();
    }
    return n;
  }

  private record Delivery(ApplicationWebhook webhook, String url, String body,
      CorrelationIds correlationIds) {
  }

  /** One webhook's queue: one request in flight, the others waiting in order. */
  private final class WebhookQueue {
    private final ArrayDeque<Delivery> waiting = new ArrayDeque<>();
    private boolean busy;

    synchronized int size() {
      return waiting.size() + (busy ? 1 : 0);
    }

    void offer(Delivery d) {
      Delivery start;
      synchronized (this) {
        if (waiting.size() >= policy.queueCapacity()) {
          dropped.increment();
          LOG.debug("webhook {} queue full ({}): dropping message", d.webhook().getIds()
              .getWebhookId(), policy.queueCapacity());
          return;
        }
        if (busy) {
          waiting.add(d);
          return;
        }
        busy = true;
        start = d;
      }
      attempt(start, 1);
    }

    private void next() {
      Delivery d;
      synchronized (this) {
        d = waiting.poll();
        if (d == null) {
          busy = false;
          return;
        }
      }
      attempt(d, 1);
    }

    private void attempt(Delivery d, int attempt) {
      HttpRequest req;
      try {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(d.url()))
            .timeout(policy.requestTimeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", "loralab-application-server");
        d.webhook().getHeadersMap().forEach(b::header);
        if (!d.webhook().getDownlinkApiKey().isEmpty()) {
          b.header("X-Downlink-Apikey", d.webhook().getDownlinkApiKey());
        }
        req = b.POST(HttpRequest.BodyPublishers.ofString(d.body())).build();
      } catch (IllegalArgumentException e) {
        fail(d, attempt, "invalid request: " + e.getMessage());
        next();
        return;
      }
      java.util.concurrent.CompletableFuture<HttpResponse<Void>> sent;
      try {
        sent = http.sendAsync(req, HttpResponse.BodyHandlers.discarding());
      } catch (RuntimeException e) {
        sent = java.util.concurrent.CompletableFuture.failedFuture(e);
      }
      sent.whenComplete((resp, err) -> {
        if (err == null && resp.statusCode() >= 200 && resp.statusCode() < 300) {
          delivered.increment();
          next();
          return;
        }
        String what = err != null ? "transport error: " + err : "HTTP status " + resp.statusCode();
        boolean retriable = err != null || resp.statusCode() >= 500 || resp.statusCode() == 408
            || resp.statusCode() == 429;
        if (retriable && attempt < policy.maxAttempts()) {
          retried.increment();
          LOG.debug("webhook {} attempt {} failed ({}), retrying", d.webhook().getIds()
              .getWebhookId(), attempt, what);
          long delay = policy.backoffBefore(attempt + 1).toNanos();
          try {
            scheduler.schedule(() -> attempt(d, attempt + 1), delay, TimeUnit.NANOSECONDS);
          } catch (RuntimeException e) {
            fail(d, attempt, what + "; retry not scheduled: " + e);
            next();
          }
          return;
        }
        fail(d, attempt, what);
        next();
      });
    }
  }

  private void fail(Delivery d, int attempts, String reason) {
    failed.increment();
    String msg = "webhook " + d.webhook().getIds().getWebhookId() + ": POST " + d.url()
        + " failed after " + attempts + " attempt(s): " + reason;
    LOG.debug("{}", msg);
    try {
      events.publish(eventFactory.builder(ApplicationServerEvents.WEBHOOK_FAIL)
          .correlationIds(d.correlationIds())
          .data(new ApiException(Status.Code.UNAVAILABLE, msg).toErrorDetails())
          .identifiers(EntityIdentifiers.newBuilder()
              .setApplicationIds(d.webhook().getIds().getApplicationIds()).build())
          .build());
    } catch (RuntimeException e) {
      LOG.debug("cannot publish webhook failure", e);
    }
  }
}
