package dev.loralab.cli.client;

import java.util.Optional;

/**
 * Incremental Server-Sent Events parser (WHATWG HTML, "event stream interpretation"): feed it
 * lines without their terminators; a blank line dispatches the message collected so far. Comment
 * lines ({@code :...}) are ignored; {@code retry:} updates {@link #retryMillis()}; the last
 * {@code id:} is remembered across messages for {@code Last-Event-ID}.
 */
public final class SseParser {

  private final int maxDataChars;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String lastEventId;
  private long retryMillis = -1;

  /** @param maxDataChars largest accepted message; larger messages raise {@link ApiClientException} */
  public SseParser(int maxDataChars) {
    this.maxDataChars = maxDataChars;
  }

  /** Feeds one line; returns the message it completes, if any. */
  public Optional<ServerSentEvent> line(String line) {
    if (line.isEmpty()) {
      if (!hasData) {
        return Optional.empty();
      }
      ServerSentEvent e = new ServerSentEvent(lastEventId, data.toString());
      data.setLength(0);
      hasData = false;
      return Optional.of(e);
    }
    if (line.startsWith(":")) {
      return Optional.empty();
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        if (data.length() + value.length() + 1 > maxDataChars) {
          throw new ApiClientException(0, "event stream: expected messages of at most " + maxDataChars
              + " characters, found more");
        }
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          lastEventId = value;
        }
      }
      case "retry" -> {
        if (value.matches("\\d{1,9}")) {
          retryMillis = Long.parseLong(value);
        }
      }
      default -> {
        // "event" and unknown fields are not used by the LoRaLab API.
      }
    }
    return Optional.empty();
  }

  /** The last event ID seen, or null. */
  public String lastEventId() {
    return lastEventId;
  }

  /** The server's requested reconnection delay, or -1. */
  public long retryMillis() {
    return retryMillis;
  }

  /** Drops a partially received message (after a dropped connection). */
  public void reset() {
    data.setLength(0);
    hasData = false;
  }
}
