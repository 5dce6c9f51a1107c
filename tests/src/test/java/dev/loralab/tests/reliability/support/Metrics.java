package dev.loralab.tests.reliability.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The stack's {@code /metrics} (Prometheus text format), scraped without an API key, with the
 * value of a sample by name and label.
 */
public final class Metrics {

  private final String text;

  private Metrics(String text) {
    this.text = text;
  }

  /** Scrapes {@code base/metrics}; fails unless the answer is 200. */
  public static Metrics scrape(HttpClient http, URI base) {
    HttpRequest req = HttpRequest.newBuilder(base.resolve("/metrics")).timeout(Duration.ofSeconds(30)).build();
    try {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("/metrics: HTTP " + r.statusCode() + " " + r.body());
      }
      return new Metrics(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException("/metrics", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The whole scrape. */
  public String text() {
    return text;
  }

  /**
   * The sum of the samples named {@code name} whose label set contains every
   * {@code labelFragment} (e.g. {@code reason="handler_error"}); 0 if there are none.
   */
  public double sum(String name, String... labelFragments) {
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      int sp = line.lastIndexOf(' ');
      String series = line.substring(0, sp);
      String sampleName = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
      if (!sampleName.equals(name)) {
        continue;
      }
      boolean all = true;
      for (String f : labelFragments) {
        all &= series.contains(f);
      }
      if (all) {
        total += Double.parseDouble(line.substring(sp + 1).trim());
      }
    }
    return total;
  }

  /** Whether any sample is named {@code name}. */
  public boolean has(String name) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        return true;
      }
    }
    return false;
  }
}
