package dev.loralab.applicationserver.formatters;

import com.google.protobuf.Struct;
import java.util.List;
import java.util.Objects;

/**
 * The result of decoding a payload: the decoded object and the formatter's warnings.
 *
 * @param data the decoded object ({@code decoded_payload})
 * @param warnings warnings returned by the formatter ({@code decoded_payload_warnings})
 */
public record DecodedPayload(Struct data, List<String> warnings) {
  /** Validates non-null components and copies the warnings. */
  public DecodedPayload {
    Objects.requireNonNull(data, "data");
    warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings"));
  }
}
