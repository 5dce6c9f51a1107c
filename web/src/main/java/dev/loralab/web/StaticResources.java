package dev.loralab.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves classpath resources under a URL prefix, e.g. {@code /console/app.js} from
 * {@code console/app.js} in the jar. A directory path (empty or ending in {@code /}) serves its
 * {@code index.html}. Responses carry a content type, a strong {@code ETag} (answering
 * {@code If-None-Match} with 304) and {@code Cache-Control}. Path traversal ({@code ..}, encoded
 * slashes or backslashes, control characters) is rejected by the router with a 400; anything else
 * not found is a 404.
 */
public final class StaticResources {

  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("htm", "text/html; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"),
      Map.entry("json", "application/json; charset=utf-8"),
      Map.entry("map", "application/json; charset=utf-8"),
      Map.entry("txt", "text/plain; charset=utf-8"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("jpg", "image/jpeg"),
      Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("webp", "image/webp"),
      Map.entry("woff", "font/woff"),
      Map.entry("woff2", "font/woff2"),
      Map.entry("wasm", "application/wasm"),
      Map.entry("webmanifest", "application/manifest+json"));

  private final ClassLoader loader;
  private final String classpathRoot;
  private final String urlPrefix;
  private final String cacheControl;
  private final Map<String, Optional<Entry>> cache = new ConcurrentHashMap<>();

  private record Entry(String contentType, byte[] bytes, String etag) {
  }

  /**
   * @param loader        where to find resources
   * @param classpathRoot resource folder, e.g. {@code console} (no leading or trailing slash)
   * @param urlPrefix     URL prefix, e.g. {@code /console} (no trailing slash)
   * @param cacheControl  {@code Cache-Control} for non-HTML files (HTML is always {@code no-cache})
   */
  public StaticResources(ClassLoader loader, String classpathRoot, String urlPrefix, String cacheControl) {
    this.loader = Objects.requireNonNull(loader, "loader");
    this.classpathRoot = strip(Objects.requireNonNull(classpathRoot, "classpathRoot"));
    String p = Objects.requireNonNull(urlPrefix, "urlPrefix");
    if (!p.startsWith("/") || (p.length() > 1 && p.endsWith("/"))) {
      throw new IllegalArgumentException("urlPrefix: expected /name without trailing slash, found " + p);
    }
    this.urlPrefix = p.equals("/") ? "" : p;
    this.cacheControl = Objects.requireNonNull(cacheControl, "cacheControl");
  }

  /** With {@code Cache-Control: public, max-age=3600}. */
  public StaticResources(ClassLoader loader, String classpathRoot, String urlPrefix) {
    this(loader, classpathRoot, urlPrefix, "public, max-age=3600");
  }

  /** Registers {@code GET prefix/} and {@code GET prefix/{path...}} (and {@code prefix} itself). */
  public Router register(Router router) {
    if (!urlPrefix.isEmpty()) {
      router.get(urlPrefix, Handler.sync(r -> serve("", r)));
    }
    router.get(urlPrefix + "/{path...}", Handler.sync(r -> serve(r.pathParam("path"), r)));
    return router;
  }

  /** Serves a relative, router-validated path. */
  Response serve(String relative, Request request) throws IOException {
    String rel = relative == null ? "" : relative;
    if (!isSafe(rel)) {
      return ErrorMapping.response(400, ErrorMapping.INVALID_ARGUMENT, "path: expected a plain relative path");
    }
    String key = rel.isEmpty() || rel.endsWith("/") ? rel + "index.html" : rel;
    Optional<Entry> entry = cache.get(key);
    if (entry == null) {
      entry = load(key);
      if (entry.isEmpty() && !rel.isEmpty() && !rel.endsWith("/")) {
        // a directory without trailing slash: serve its index
        Optional<Entry> idx = load(rel + "/index.html");
        entry = isDirectory(rel) ? idx : Optional.empty();
      }
      cache.putIfAbsent(key, entry);
    }
    if (entry.isEmpty()) {
      return ErrorMapping.response(404, ErrorMapping.NOT_FOUND, "no resource " + urlPrefix + "/" + rel);
    }
    Entry e = entry.get();
    String cc = e.contentType().startsWith("text/html") ? "no-cache" : cacheControl;
    boolean notModified = request.headerAll("If-None-Match").stream()
        .flatMap(v -> java.util.Arrays.stream(v.split(",")))
        .map(String::trim)
        .anyMatch(v -> v.equals(e.etag()) || v.equals("*"));
    if (notModified) {
      return Response.empty(304).withHeader("ETag", e.etag()).withHeader("Cache-Control", cc);
    }
    return Response.bytes(200, e.contentType(), e.bytes())
        .withHeader("ETag", e.etag())
        .withHeader("Cache-Control", cc)
        .withHeader("X-Content-Type-Options", "nosniff");
  }

  private Optional<Entry> load(String rel) throws IOException {
    String name = classpathRoot.isEmpty() ? rel : classpathRoot + "/" + rel;
    URL url = loader.getResource(name);
    if (url == null || isDirectoryUrl(url)) {
      return Optional.empty();
    }
    byte[] bytes;
    try (InputStream in = url.openStream()) {
      bytes = in.readAllBytes();
    }
    return Optional.of(new Entry(contentType(rel), bytes, etag(bytes)));
  }

  private boolean isDirectory(String rel) {
    String name = classpathRoot.isEmpty() ? rel : classpathRoot + "/" + rel;
    URL url = loader.getResource(name);
    return url != null && isDirectoryUrl(url);
  }

  private static boolean isDirectoryUrl(URL url) {
    try {
      if (url.getProtocol().equals("file")) {
        return Files.isDirectory(Path.of(url.toURI()));
      }
      URLConnection c = url.openConnection();
      if (c instanceof JarURLConnection jar) {
        var je = jar.getJarEntry();
        return je == null || je.isDirectory();
      }
      return false;
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return true;
    }
  }

  static boolean isSafe(String rel) {
    if (rel.startsWith("/")) {
      return false;
    }
    for (String seg : rel.split("/", -1)) {
      if (seg.equals("..") || seg.equals(".")) {
        return false;
      }
    }
    for (int i = 0; i < rel.length(); i++) {
      char c = rel.charAt(i);
      if (c == '\\' || c == ':' || c < 0x20 || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  static String contentType(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(d, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static String strip(String s) {
    String r = s;
    while (r.startsWith("/")) {
      r = r.substring(1);
    }
    while (r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }
}
