package dev.loralab.applicationserver.formatters;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import dev.loralab.api.v3.MessagePayloadFormatters;
import dev.loralab.api.v3.PayloadFormatter;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Applies the formatters configured in {@link MessagePayloadFormatters}: Cayenne LPP, JavaScript
 * (the script in {@code up_formatter_parameter} / {@code down_formatter_parameter}) or none.
 */
public final class PayloadFormatters {

  private final JavaScriptFormatters javaScript;

  /** @param javaScript the JavaScript sandbox */
  public PayloadFormatters(JavaScriptFormatters javaScript) {
    this.javaScript = Objects.requireNonNull(javaScript, "javaScript");
  }

  /**
   * Decodes an uplink FRMPayload.
   *
   * @return empty when the up formatter is {@code FORMATTER_NONE}
   * @throws PayloadFormatterException when the formatter fails or is not supported
   */
  public Optional<DecodedPayload> decodeUplink(MessagePayloadFormatters formatters,
      byte[] frmPayload, int fPort, Instant receivedAt) {
    PayloadFormatter f = formatters.getUpFormatter();
    return switch (f) {
      case FORMATTER_NONE -> Optional.empty();
      case FORMATTER_CAYENNELPP ->
          Optional.of(new DecodedPayload(CayenneLpp.decode(frmPayload), List.of()));
      case FORMATTER_JAVASCRIPT -> Optional.of(javaScript.decodeUplink(
          formatters.getUpFormatterParameter(), frmPayload, fPort, receivedAt));
      default -> throw unsupported("up_formatter", f);
    };
  }

  /**
   * Decodes a downlink FRMPayload (plaintext) for the application.
   *
   * @return empty when the down formatter is {@code FORMATTER_NONE}
   * @throws PayloadFormatterException when the formatter fails or is not supported
   */
  public Optional<DecodedPayload> decodeDownlink(MessagePayloadFormatters formatters,
      byte[] frmPayload, int fPort) {
    PayloadFormatter f = formatters.getDownFormatter();
    return switch (f) {
      case FORMATTER_NONE -> Optional.empty();
      case FORMATTER_CAYENNELPP ->
          Optional.of(new DecodedPayload(CayenneLpp.decode(frmPayload), List.of()));
      case FORMATTER_JAVASCRIPT -> Optional.of(javaScript.decodeDownlink(
          formatters.getDownFormatterParameter(), frmPayload, fPort));
      default -> throw unsupported("down_formatter", f);
    };
  }

  /**
   * Encodes a downlink's {@code decoded_payload}.
   *
   * @param fPort the requested FPort, or 0 if none
   * @throws PayloadFormatterException when no down formatter is configured or it fails
   */
  public EncodedPayload encodeDownlink(MessagePayloadFormatters formatters, Struct data,
      int fPort) {
    PayloadFormatter f = formatters.getDownFormatter();
    return switch (f) {
      case FORMATTER_NONE -> throw new PayloadFormatterException("down_formatter",
          "a down formatter to encode decoded_payload", "FORMATTER_NONE");
      case FORMATTER_CAYENNELPP -> new EncodedPayload(ByteString.copyFrom(CayenneLpp.encode(data)),
          OptionalInt.empty(), List.of());
      case FORMATTER_JAVASCRIPT -> javaScript.encodeDownlink(formatters.getDownFormatterParameter(),
          data, fPort);
      default -> throw unsupported("down_formatter", f);
    };
  }

  private static PayloadFormatterException unsupported(String field, PayloadFormatter f) {
    return new PayloadFormatterException(field,
        "FORMATTER_NONE, FORMATTER_CAYENNELPP or FORMATTER_JAVASCRIPT", String.valueOf(f));
  }
}
