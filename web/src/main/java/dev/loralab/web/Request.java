package dev.loralab.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import dev.loralab.api.ApiException;
import dev.loralab.api.ProtoJson;
import dev.loralab.api.ProtoJsonException;
import dev.loralab.api.auth.AccessControl;
import dev.loralab.api.auth.Caller;
import dev.loralab.api.auth.Unauthenticated;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An HTTP request as seen by a {@link Handler}: method, path, decoded path parameters, query
 * parameters, case-insensitive headers, body bytes and the remote address. Immutable.
 */
public final class Request {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String method;
  private final String path;
  private final String routePattern;
  private final Map<String, String> pathParams;
  private final Map<String, List<String>> query;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final String remoteAddress;

  /**
   * Creates a request. Used by the server and by tests that call handlers directly.
   *
   * @param headers header values by name; names are treated case-insensitively
   */
  public Request(String method, String path, String routePattern, Map<String, String> pathParams,
      Map<String, List<String>> query, Map<String, List<String>> headers, byte[] body, String remoteAddress) {
    this.method = Objects.requireNonNull(method, "method");
    this.path = Objects.requireNonNull(path, "path");
    this.routePattern = Objects.requireNonNull(routePattern, "routePattern");
    this.pathParams = Map.copyOf(pathParams);
    TreeMap<String, List<String>> q = new TreeMap<>();
    query.forEach((k, v) -> q.put(k, List.copyOf(v)));
    this.query = Collections.unmodifiableMap(q);
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> h.merge(k, List.copyOf(v), (a, b) -> {
      List<String> all = new java.util.ArrayList<>(a);
      all.addAll(b);
      return List.copyOf(all);
    }));
    this.headers = Collections.unmodifiableMap(h);
    this.body = body.clone();
    this.remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress");
  }

  /** Request method, e.g. {@code GET}. */
  public String method() {
    return method;
  }

  /** The raw (still percent-encoded) path, without the query string. */
  public String path() {
    return path;
  }

  /** The route pattern that matched, e.g. {@code /api/v3/applications/{application_id}}. */
  public String routePattern() {
    return routePattern;
  }

  /** Decoded, validated path parameter, or {@code null} when the pattern has none of that name. */
  public String pathParam(String name) {
    return pathParams.get(name);
  }

  /** All decoded path parameters. */
  public Map<String, String> pathParams() {
    return pathParams;
  }

  /** First value of a query parameter. */
  public Optional<String> query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** All values of a query parameter (empty when absent). */
  public List<String> queryAll(String name) {
    return query.getOrDefault(name, List.of());
  }

  /** All query parameters. */
  public Map<String, List<String>> queryParams() {
    return query;
  }

  /** First value of a header (case-insensitive name). */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** All values of a header (case-insensitive name). */
  public List<String> headerAll(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /** Header names. */
  public Set<String> headerNames() {
    return headers.keySet();
  }

  /** A copy of the body bytes. */
  public byte[] body() {
    return body.clone();
  }

  /** Body length in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /**
   * The body decoded as strict UTF-8.
   *
   * @throws ApiException invalid argument (400) when the body is not valid UTF-8
   */
  public String bodyUtf8() {
    String text = StrictUtf8.decode(body, 0, body.length);
    if (text == null) {
      throw ApiException.invalidArgument("body", "expected UTF-8 text, found an invalid byte sequence");
    }
    return text;
  }

  /** The client address, {@code host:port}. */
  public String remoteAddress() {
    return remoteAddress;
  }

  /** The user agent header, if any. */
  public Optional<String> userAgent() {
    return header("User-Agent");
  }

  /** The token of an {@code Authorization: Bearer <token>} header (scheme case-insensitive). */
  public Optional<String> bearerToken() {
    return header("Authorization").flatMap(Request::parseBearer);
  }

  /**
   * Authenticates the request's bearer token.
   *
   * @throws Unauthenticated (401) when the header is missing, not a Bearer token, or the key is unknown
   */
  public Caller authenticate(AccessControl accessControl) {
    if (header("Authorization").isEmpty()) {
      throw new Unauthenticated("missing Authorization: Bearer <API key> header");
    }
    String token = bearerToken().orElseThrow(() ->
        new Unauthenticated("Authorization header: expected Bearer <API key>"));
    return accessControl.authenticate(token);
  }

  static Optional<String> parseBearer(String value) {
    String v = value.trim();
    if (v.length() < 7 || !v.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = v.substring(7).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  /**
   * Parses the body as JSON. An empty body is an empty object.
   *
   * @throws ApiException invalid argument (400) naming the problem (invalid UTF-8, syntax error with location)
   */
  public JsonNode json() {
    if (body.length == 0) {
      return MAPPER.createObjectNode();
    }
    String text = bodyUtf8();
    try {
      JsonNode node = MAPPER.readTree(text);
      return node == null ? MAPPER.createObjectNode() : node;
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw ApiException.invalidArgument("body", "expected JSON, found a syntax error" + where + ": "
          + e.getOriginalMessage());
    }
  }

  /**
   * Merges the body, protobuf JSON ({@link ProtoJson}), into {@code builder}; an empty body leaves
   * it unchanged.
   *
   * @throws ApiException invalid argument (400) naming the problem (invalid UTF-8, syntax, unknown field)
   */
  public <B extends Message.Builder> B proto(B builder) {
    String text = bodyUtf8();
    if (text.isBlank()) {
      return builder;
    }
    try {
      return ProtoJson.parse(text, builder);
    } catch (ProtoJsonException e) {
      throw ApiException.invalidArgument("body", e.getMessage());
    }
  }

  @Override
  public String toString() {
    return method + " " + path;
  }
}
