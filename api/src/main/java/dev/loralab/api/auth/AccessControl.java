package dev.loralab.api.auth;

import dev.loralab.api.v3.EntityIdentifiers;
import dev.loralab.api.v3.Right;
import java.util.Collection;

/**
 * Authentication and rights lookup, shared by all servers. The identity server implements this for
 * real; {@link StaticAccessControl} is a fixed implementation for tests and demos.
 */
public interface AccessControl {
  /**
   * Authenticates a bearer token.
   *
   * @param authorizationHeaderOrToken either {@code "Bearer <token>"} or the bare token
   * @return the authenticated caller
   * @throws Unauthenticated if the token is missing, malformed, unknown or expired
   */
  Caller authenticate(String authorizationHeaderOrToken) throws Unauthenticated;

  /**
   * The caller's expanded rights on {@code entity}; empty if none. For an end device the rights
   * are those on its application.
   */
  RightSet rightsOn(Caller caller, EntityIdentifiers entity);

  /**
   * Returns the caller's expanded rights on {@code entity} if they include any of {@code anyOf}.
   *
   * @throws PermissionDenied naming the entity and the rights required otherwise
   */
  default RightSet requireAny(Caller caller, EntityIdentifiers entity, Collection<Right> anyOf) {
    RightSet rights = rightsOn(caller, entity);
    if (!rights.includesAny(anyOf)) {
      throw new PermissionDenied(entity, "requires any of " + anyOf);
    }
    return rights;
  }

  /**
   * Strips an optional {@code Bearer } prefix (case-insensitive) and surrounding whitespace.
   *
   * @throws Unauthenticated if nothing remains
   */
  static String bearerToken(String authorizationHeaderOrToken) throws Unauthenticated {
    if (authorizationHeaderOrToken == null) {
      throw new Unauthenticated("missing token");
    }
    String s = authorizationHeaderOrToken.strip();
    if (s.equalsIgnoreCase("Bearer")) {
      throw new Unauthenticated("missing token");
    }
    if (s.regionMatches(true, 0, "Bearer ", 0, 7)) {
      s = s.substring(7).trim();
    }
    if (s.isEmpty()) {
      throw new Unauthenticated("missing token");
    }
    return s;
  }
}
