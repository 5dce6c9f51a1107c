package dev.loralab.api.auth;

import com.google.protobuf.ByteString;
import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Right;
import dev.loralab.api.v3.Rights;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable set of {@link Right}s with The Things Stack's implication rules.
 *
 * <p>{@link #expanded()} adds implied rights: {@code RIGHT_ALL} implies everything; each
 * {@code *_ALL} pseudo-right implies every right of its entity kind; {@code RIGHT_USER_ALL}
 * additionally implies the {@code _ALL} rights of applications, gateways, organizations and clients
 * (a user key acting on what the user owns); {@code RIGHT_APPLICATION_LINK} implies
 * {@code RIGHT_APPLICATION_INFO}, {@code _TRAFFIC_READ} and {@code _TRAFFIC_DOWN_WRITE};
 * {@code RIGHT_GATEWAY_LINK} implies {@code RIGHT_GATEWAY_INFO}. {@code RIGHT_INVALID} and
 * {@code UNRECOGNIZED} are never members.
 */
public final class RightSet {
  private static final RightSet EMPTY = new RightSet(EnumSet.noneOf(Right.class));

  private final Set<Right> rights;
  /** The encoding of {@link #toProto()}, computed on first use; written racily (immutable, like a String's hash). */
  private ByteString encoding;

  private RightSet(EnumSet<Right> rights) {
    rights.remove(Right.RIGHT_INVALID);
    rights.remove(Right.UNRECOGNIZED);
    this.rights = Collections.unmodifiableSet(rights);
  }

  /** The empty set. */
  public static RightSet empty() {
    return EMPTY;
  }

  /** A set of the given rights ({@code RIGHT_INVALID} is ignored). */
  public static RightSet of(Collection<Right> rights) {
    Objects.requireNonNull(rights, "rights");
    EnumSet<Right> set = EnumSet.noneOf(Right.class);
    for (Right r : rights) {
      set.add(Objects.requireNonNull(r, "right"));
    }
    return new RightSet(set);
  }

  /** A set of the given rights. */
  public static RightSet of(Right... rights) {
    return of(java.util.Arrays.asList(rights));
  }

  /** A set of the rights in a protobuf {@link Rights} message. */
  public static RightSet of(Rights rights) {
    return of(rights.getRightsList());
  }

  /** Every defined right (the expansion of {@code RIGHT_ALL}). */
  public static RightSet all() {
    return of(Right.RIGHT_ALL).expanded();
  }

  /** Returns this set plus every right implied by its members. */
  public RightSet expanded() {
    EnumSet<Right> out = EnumSet.noneOf(Right.class);
    out.addAll(rights);
    if (rights.contains(Right.RIGHT_ALL)) {
      for (Right r : Right.values()) {
        out.add(r);
      }
      return new RightSet(out);
    }
    if (rights.contains(Right.RIGHT_USER_ALL)) {
      out.add(Right.RIGHT_APPLICATION_ALL);
      out.add(Right.RIGHT_GATEWAY_ALL);
      out.add(Right.RIGHT_ORGANIZATION_ALL);
      out.add(Right.RIGHT_CLIENT_ALL);
    }
    addKind(out, Right.RIGHT_USER_ALL, "RIGHT_USER_");
    addKind(out, Right.RIGHT_APPLICATION_ALL, "RIGHT_APPLICATION_");
    addKind(out, Right.RIGHT_GATEWAY_ALL, "RIGHT_GATEWAY_");
    addKind(out, Right.RIGHT_ORGANIZATION_ALL, "RIGHT_ORGANIZATION_");
    addKind(out, Right.RIGHT_CLIENT_ALL, "RIGHT_CLIENT_");
    if (out.contains(Right.RIGHT_APPLICATION_LINK)) {
      out.add(Right.RIGHT_APPLICATION_INFO);
      out.add(Right.RIGHT_APPLICATION_TRAFFIC_READ);
      out.add(Right.RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE);
    }
    if (out.contains(Right.RIGHT_GATEWAY_LINK)) {
      out.add(Right.RIGHT_GATEWAY_INFO);
    }
    return new RightSet(out);
  }

  private static void addKind(EnumSet<Right> out, Right all, String prefix) {
    if (!out.contains(all)) {
      return;
    }
    for (Right r : Right.values()) {
      if (r != Right.UNRECOGNIZED && r.name().startsWith(prefix)) {
        out.add(r);
      }
    }
  }

  /** Whether {@code right} is a member (no implication; call {@link #expanded()} first). */
  public boolean includes(Right right) {
    return rights.contains(right);
  }

  /** Whether any of {@code candidates} is a member (no implication). */
  public boolean includesAny(Collection<Right> candidates) {
    for (Right r : candidates) {
      if (rights.contains(r)) {
        return true;
      }
    }
    return false;
  }

  /** Whether every one of {@code required} is a member (no implication). */
  public boolean includesAll(Collection<Right> required) {
    return rights.containsAll(required);
  }

  /** The intersection of this set and {@code other}. */
  public RightSet intersect(RightSet other) {
    EnumSet<Right> out = EnumSet.noneOf(Right.class);
    out.addAll(rights);
    out.retainAll(other.rights);
    return new RightSet(out);
  }

  /**
   * The members that apply to {@code entity}'s kind ({@code RIGHT_APPLICATION_*} for applications
   * and end devices, {@code RIGHT_GATEWAY_*} for gateways, {@code RIGHT_USER_*} and
   * {@code RIGHT_SEND_INVITES} for users, {@code RIGHT_ORGANIZATION_*}, {@code RIGHT_CLIENT_*}),
   * plus {@code RIGHT_ALL} if present. No implication is applied.
   */
  public RightSet scopedTo(EntityIdentifiers entity) {
    String prefix = switch (entity.getIdsCase()) {
      case APPLICATION_IDS, DEVICE_IDS -> "RIGHT_APPLICATION_";
      case GATEWAY_IDS -> "RIGHT_GATEWAY_";
      case USER_IDS -> "RIGHT_USER_";
      case ORGANIZATION_IDS -> "RIGHT_ORGANIZATION_";
      case CLIENT_IDS -> "RIGHT_CLIENT_";
      case IDS_NOT_SET -> null;
    };
    EnumSet<Right> out = EnumSet.noneOf(Right.class);
    for (Right r : rights) {
      if (r == Right.RIGHT_ALL
          || (prefix != null && r.name().startsWith(prefix))
          || (r == Right.RIGHT_SEND_INVITES
              && entity.getIdsCase() == EntityIdentifiers.IdsCase.USER_IDS)) {
        out.add(r);
      }
    }
    return new RightSet(out);
  }

  /** Whether the set has no members. */
  public boolean isEmpty() {
    return rights.isEmpty();
  }

  /** The members, in enum order (unmodifiable). */
  public Set<Right> asSet() {
    return rights;
  }

  /** The members as a protobuf {@link Rights} message, in enum order. */
  public Rights toProto() {
    return Rights.newBuilder().addAllRights(rights).build();
  }

  /** The binary encoding of {@link #toProto()}, computed once per set. */
  public ByteString toProtoBytes() {
    ByteString b = encoding;
    if (b == null) {
      b = toProto().toByteString();
      encoding = b;
    }
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RightSet other && rights.equals(other.rights);
  }

  @Override
  public int hashCode() {
    return rights.hashCode();
  }

  @Override
  public String toString() {
    return rights.toString();
  }
}
