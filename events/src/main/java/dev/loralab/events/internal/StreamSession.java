package dev.loralab.events.internal;

import dev.loralab.api.ApiException;
import dev.loralab.events.Event;
import dev.loralab.events.EventCatalogue;
import dev.loralab.events.EventSink;
import dev.loralab.events.EventStreams;
import dev.loralab.events.Subscription;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * One running stream: history replay, then live events gated until the replay is written,
 * de-duplicated against the replay, filtered by visibility.
 */
public final class StreamSession implements EventSink, EventStreams.Handle {

  private final EventStreams.Output out;
  private final Predicate<Event> visible;
  private final Set<String> replayed = new HashSet<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean live;
  private volatile Subscription subscription;

  public StreamSession(EventStreams.Output out, Predicate<Event> visible) {
    this.out = out;
    this.visible = visible;
  }

  public void attach(Subscription s) {
    this.subscription = s;
    if (closed.get()) {
      s.close();
    }
  }

  /** Writes history; live delivery is held back until {@link #goLive()}. */
  public void replay(List<Event> events) {
    for (Event e : events) {
      replayed.add(e.uniqueId());
      out.send(e);
    }
  }

  public void goLive() {
    live = true;
    wake();
  }

  @Override
  public boolean ready() {
    return live && !closed.get() && out.ready();
  }

  @Override
  public void accept(Event e) {
    if (EventCatalogue.STREAM_LAG.name().equals(e.name())) {
      out.send(e);
      return;
    }
    if (!replayed.isEmpty() && replayed.contains(e.uniqueId())) {
      return;
    }
    if (visible.test(e)) {
      out.send(e);
    }
  }

  @Override
  public void flush() {
    out.flush();
  }

  @Override
  public void closed() {
    if (closed.compareAndSet(false, true)) {
      out.error(ApiException.unavailable("event stream closed by the server"));
    }
  }

  @Override
  public void wake() {
    Subscription s = subscription;
    if (s != null) {
      s.wake();
    }
  }

  @Override
  public void close() {
    closed.set(true);
    Subscription s = subscription;
    if (s != null) {
      s.close();
    }
  }
}
