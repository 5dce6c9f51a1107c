package dev.loralab.benchmarks.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --key value} and {@code --flag} command-line arguments. */
final class Args {

  private Args() {
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String k = args[i];
      if (!k.startsWith("--")) {
        throw new IllegalArgumentException("expected --option, found '" + k + "'");
      }
      k = k.substring(2);
      int eq = k.indexOf('=');
      if (eq >= 0) {
        m.put(k.substring(0, eq), k.substring(eq + 1));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        m.put(k, args[++i]);
      } else {
        m.put(k, "true");
      }
    }
    return m;
  }
}
