package dev.loralab.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Summarises a collapsed-stack CPU profile written by the e2e driver's {@code --profile}
 * (async-profiler, one line per distinct stack, {@code [thread];frame;...;frame count}): CPU share
 * per thread group, the frames that were on-CPU most (self), and the LoRaLab frames on the most
 * samples (inclusive). An optional filter keeps only the stacks that contain a string.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.loralab.benchmarks.e2e.ProfileSummary FILE [FILTER]</pre>
 */
public final class ProfileSummary {

  /** async-profiler's thread frame: {@code [name tid=N]} (the tid only for some threads). */
  private static final Pattern THREAD_FRAME = Pattern.compile("\\[(.*?)(?: tid=\\d+)?]");

  private ProfileSummary() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: ProfileSummary FILE.collapsed [FILTER]");
      System.exit(2);
    }
    String filter = args.length > 1 ? args[1] : null;
    Map<String, Long> threads = new HashMap<>();
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> inclusive = new HashMap<>();
    long total = 0;
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      int sp = line.lastIndexOf(' ');
      if (sp < 0 || (filter != null && !line.contains(filter))) {
        continue;
      }
      long n = Long.parseLong(line.substring(sp + 1).trim());
      String[] frames = line.substring(0, sp).split(";");
      total += n;
      Matcher m = THREAD_FRAME.matcher(frames[0]);
      String thread = m.matches() ? "[" + ThreadCpu.group(m.group(1)) + "]" : "?";
      threads.merge(thread, n, Long::sum);
      self.merge(frames[frames.length - 1], n, Long::sum);
      Set<String> seen = new HashSet<>();
      for (String f : frames) {
        if (f.contains("loralab") && seen.add(f)) {
          inclusive.merge(f, n, Long::sum);
        }
      }
    }
    System.out.println("samples " + total + (filter == null ? "" : " (stacks containing " + filter + ")"));
    print("thread groups", threads, total, 15);
    print("self (on CPU)", self, total, 40);
    print("inclusive (LoRaLab frames)", inclusive, total, 60);
  }

  private static void print(String title, Map<String, Long> counts, long total, int limit) {
    System.out.println("== " + title);
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort((x, y) -> Long.compare(y.getValue(), x.getValue()));
    for (int i = 0; i < Math.min(limit, sorted.size()); i++) {
      Map.Entry<String, Long> e = sorted.get(i);
      System.out.printf("%5.1f%% %s%n", total == 0 ? 0.0 : 100.0 * e.getValue() / total, e.getKey());
    }
  }
}
