package dev.loralab.cli.client;

import dev.loralab.cli.CliInputException;
import dev.loralab.cli.config.ConfigException;
import dev.loralab.cli.config.StackConfig;
import dev.loralab.cli.config.StackConfigLoader;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Picocli mixin of the options every API command shares: where the API is and which key to use.
 *
 * <p>The key is {@code --api-key}, else {@code LORALAB_API_KEY}, else the admin key file
 * {@code <data-dir>/admin-api-key} written by {@code loralab start}; the data directory is
 * {@code --data-dir}, else {@code data.dir} of the effective configuration ({@code --config} or
 * ./loralab.yml, {@code LORALAB_DATA_DIR}). The URL is {@code --api-url}, else {@code LORALAB_API_URL}, else
 * {@code http://localhost:<http.port>}.
 */
public final class ClientOptions {

  @Option(names = "--api-url", paramLabel = "URL", defaultValue = "${env:LORALAB_API_URL}",
      description = "API base URL (default: LORALAB_API_URL or http://localhost:<http.port>).")
  String apiUrl;

  @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:LORALAB_API_KEY}",
      description = "API key (default: LORALAB_API_KEY or the admin key file in the data directory).")
  String apiKey;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:LORALAB_DATA_DIR}",
      description = "Data directory holding admin-api-key (default: data.dir of the configuration).")
  Path dataDir;

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML configuration giving data.dir and http.port (default: ./loralab.yml if present).")
  Path configFile;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "Request timeout, e.g. 30s (default: ${DEFAULT-VALUE}).")
  String timeout;

  private StackConfig config;

  /** The client for these options. */
  public ApiClient client() {
    return new ApiClient(url(), key(), parseTimeout());
  }

  /** The API base URL. */
  public URI url() {
    String u = blank(apiUrl) ? "http://localhost:" + config().http().port() : apiUrl.trim();
    try {
      URI uri = new URI(u.endsWith("/") ? u : u + "/");
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new URISyntaxException(u, "expected http(s)://host[:port]");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new CliInputException("--api-url: expected http(s)://host[:port], found '" + u + "'");
    }
  }

  /** The API key to send. */
  public String key() {
    if (!blank(apiKey)) {
      return apiKey.trim();
    }
    Path dir = dataDir != null ? dataDir : config().data().dir();
    Path file = dir.resolve("admin-api-key");
    try {
      String k = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (k.isEmpty()) {
        throw new CliInputException("no API key: " + file + " is empty; use --api-key or LORALAB_API_KEY");
      }
      return k;
    } catch (IOException e) {
      throw new CliInputException("no API key: use --api-key or LORALAB_API_KEY, or run `loralab start` "
          + "(which writes " + file + ")");
    }
  }

  private Duration parseTimeout() {
    try {
      String t = timeout.trim();
      if (t.matches("\\d{1,6}s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.matches("\\d{1,9}ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      return Duration.parse(t);
    } catch (RuntimeException e) {
      throw new CliInputException("--timeout: expected a duration such as 30s, found '" + timeout + "'");
    }
  }

  private StackConfig config() {
    if (config == null) {
      try {
        config = StackConfigLoader.load(StackConfigLoader.chooseFile(configFile, Path.of("").toAbsolutePath()),
            System.getenv(), List.of());
      } catch (ConfigException e) {
        throw new CliInputException("configuration: " + e.getMessage());
      }
    }
    return config;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
