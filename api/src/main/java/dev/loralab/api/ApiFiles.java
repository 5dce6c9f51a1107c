package dev.loralab.api;

import com.google.protobuf.Descriptors.FileDescriptor;
import dev.loralab.api.v3.ApplicationProto;
import dev.loralab.api.v3.ApplicationWebhookProto;
import dev.loralab.api.v3.ConfigurationProto;
import dev.loralab.api.v3.EndDeviceProto;
import dev.loralab.api.v3.ErrorProto;
import dev.loralab.api.v3.EventsProto;
import dev.loralab.api.v3.GatewayProto;
import dev.loralab.api.v3.IdentifiersProto;
import dev.loralab.api.v3.LoRaWANProto;
import dev.loralab.api.v3.MessagesProto;
import dev.loralab.api.v3.RightsProto;
import dev.loralab.api.v3.ServicesProto;
import dev.loralab.api.v3.UserProto;
import java.util.List;

/**
 * The file descriptors of every {@code .proto} file of this module, in one place.
 *
 * <p>Used to build the JSON type registry ({@link ProtoJson}); a test asserts that every
 * {@code .proto} file of the module is listed here. Add new files here when adding them.
 */
public final class ApiFiles {
  private static final List<FileDescriptor> ALL =
      List.of(
          IdentifiersProto.getDescriptor(),
          RightsProto.getDescriptor(),
          EventsProto.getDescriptor(),
          ErrorProto.getDescriptor(),
          LoRaWANProto.getDescriptor(),
          MessagesProto.getDescriptor(),
          EndDeviceProto.getDescriptor(),
          GatewayProto.getDescriptor(),
          ApplicationProto.getDescriptor(),
          UserProto.getDescriptor(),
          ApplicationWebhookProto.getDescriptor(),
          ConfigurationProto.getDescriptor(),
          ServicesProto.getDescriptor());

  private ApiFiles() {}

  /** Returns every file descriptor of this module (immutable). */
  public static List<FileDescriptor> all() {
    return ALL;
  }
}
