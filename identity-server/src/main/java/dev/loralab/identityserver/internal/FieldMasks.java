package dev.loralab.identityserver.internal;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import com.google.protobuf.util.FieldMaskUtil;
import dev.loralab.api.v3.EndDevice;
import dev.loralab.identityserver.InvalidFieldException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Field mask projection and merging (pure). Paths are proto field names, dot-separated. */
public final class FieldMasks {
  /** Paths that select end device secrets (root keys, session keys). */
  private static final List<String> DEVICE_SECRET_PATHS =
      List.of("root_keys", "session.keys", "pending_session.keys");
  private static final Set<String> SYSTEM_FIELDS = Set.of("ids", "created_at", "updated_at");

  private FieldMasks() {}

  /**
   * Validates paths against a message type.
   *
   * @throws InvalidFieldException naming the first unknown path
   */
  public static List<String> validate(Descriptor type, Collection<String> paths) {
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      String path = p.trim();
      if (path.isEmpty()) {
        continue;
      }
      if (!FieldMaskUtil.isValid(type, path)) {
        throw new InvalidFieldException("field_mask.paths", "fields of " + type.getFullName(),
            "'" + (path.length() > 100 ? path.substring(0, 100) + "..." : path) + "'");
      }
      out.add(path);
    }
    return out;
  }

  /** A copy of {@code message} with only {@code paths} plus ids, created_at and updated_at. */
  @SuppressWarnings("unchecked")
  public static <M extends Message> M project(M message, Collection<String> paths) {
    if (paths.isEmpty()) {
      return message;
    }
    Set<String> all = new LinkedHashSet<>(paths);
    for (String sys : SYSTEM_FIELDS) {
      if (message.getDescriptorForType().findFieldByName(sys) != null) {
        all.add(sys);
      }
    }
    Message.Builder b = message.newBuilderForType();
    FieldMaskUtil.merge(FieldMask.newBuilder().addAllPaths(all).build(), message, b);
    return (M) b.build();
  }

  /** {@code existing} with the fields at {@code paths} replaced by those of {@code patch}. */
  @SuppressWarnings("unchecked")
  public static <M extends Message> M merge(M existing, M patch, Collection<String> paths) {
    Message.Builder b = existing.toBuilder();
    FieldMaskUtil.MergeOptions options = new FieldMaskUtil.MergeOptions()
        .setReplaceMessageFields(true)
        .setReplaceRepeatedFields(true)
        .setReplacePrimitiveFields(true);
    FieldMaskUtil.merge(FieldMask.newBuilder().addAllPaths(paths).build(), patch, b, options);
    return (M) b.build();
  }

  /** The top-level fields set in {@code patch}, except ids, created_at and updated_at. */
  public static List<String> presentTopLevel(Message patch) {
    List<String> out = new ArrayList<>();
    for (FieldDescriptor f : patch.getAllFields().keySet()) {
      if (!SYSTEM_FIELDS.contains(f.getName())) {
        out.add(f.getName());
      }
    }
    return out;
  }

  /** Whether any path selects (or contains) end device secrets. */
  public static boolean selectsDeviceSecrets(Collection<String> paths) {
    for (String p : paths) {
      for (String s : DEVICE_SECRET_PATHS) {
        if (p.equals(s) || p.startsWith(s + ".") || s.startsWith(p + ".")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the device carries any secret (root keys or session keys). */
  public static boolean hasDeviceSecrets(EndDevice d) {
    return d.hasRootKeys() || (d.hasSession() && d.getSession().hasKeys())
        || (d.hasPendingSession() && d.getPendingSession().hasKeys());
  }

  /** The device without root keys and session keys. */
  public static EndDevice withoutSecrets(EndDevice d) {
    EndDevice.Builder b = d.toBuilder().clearRootKeys();
    if (d.hasSession()) {
      b.getSessionBuilder().clearKeys();
    }
    if (d.hasPendingSession()) {
      b.getPendingSessionBuilder().clearKeys();
    }
    return b.build();
  }
}
