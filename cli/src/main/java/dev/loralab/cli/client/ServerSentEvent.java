package dev.loralab.cli.client;

import java.util.Objects;

/**
 * One Server-Sent Events message.
 *
 * @param id   the {@code id:} field, or null
 * @param data the {@code data:} lines joined with newlines
 */
public record ServerSentEvent(String id, String data) {
  public ServerSentEvent {
    Objects.requireNonNull(data, "data");
  }
}
