package dev.loralab.applicationserver.formatters;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The result of encoding a downlink: FRMPayload bytes, the FPort the formatter chose (if any) and
 * its warnings.
 *
 * @param frmPayload the plaintext FRMPayload
 * @param fPort the FPort returned by the formatter, empty to keep the requested one
 * @param warnings warnings returned by the formatter
 */
public record EncodedPayload(ByteString frmPayload, OptionalInt fPort, List<String> warnings) {
  /** Validates non-null components, the FPort range 1..255, and copies the warnings. */
  public EncodedPayload {
    Objects.requireNonNull(frmPayload, "frmPayload");
    Objects.requireNonNull(fPort, "fPort");
    warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings"));
    if (fPort.isPresent() && (fPort.getAsInt() < 1 || fPort.getAsInt() > 255)) {
      throw new IllegalArgumentException("fPort: expected 1..255, found " + fPort.getAsInt());
    }
  }
}
