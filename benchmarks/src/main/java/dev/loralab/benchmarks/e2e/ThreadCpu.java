package dev.loralab.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPU ticks of each thread of a process, from {@code /proc/PID/task/TID/stat} (Linux), grouped by
 * thread name without its trailing number ({@code loralab-ns-device-3} counts as
 * {@code loralab-ns-device}). Two snapshots give each group's share of the process's CPU between
 * them. Empty where {@code /proc} is missing.
 */
final class ThreadCpu {

  private static final Pattern NUMBER_SUFFIX = Pattern.compile("[-#_ ]?\\d+$");

  /** A thread's group: its name without a trailing number ({@code loralab-ns-device-3} → {@code loralab-ns-device}). */
  static String group(String threadName) {
    return NUMBER_SUFFIX.matcher(threadName).replaceAll("");
  }

  /** Per thread id: group name, user + system ticks, system ticks. */
  private final Map<String, long[]> ticks;
  private final Map<String, String> groups;

  private ThreadCpu(Map<String, long[]> ticks, Map<String, String> groups) {
    this.ticks = ticks;
    this.groups = groups;
  }

  /** The threads of {@code pid} now. */
  static ThreadCpu snapshot(long pid) {
    Map<String, long[]> ticks = new HashMap<>();
    Map<String, String> groups = new HashMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
      for (Path t : dir) {
        try {
          String name = Files.readString(t.resolve("comm")).trim();
          String stat = Files.readString(t.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long user = Long.parseLong(f[11]);
          long sys = Long.parseLong(f[12]);
          String tid = t.getFileName().toString();
          ticks.put(tid, new long[] {user + sys, sys});
          groups.put(tid, group(name));
        } catch (IOException | RuntimeException e) {
          // the thread ended between listing and reading
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc: empty snapshot
    }
    return new ThreadCpu(ticks, groups);
  }

  /**
   * Each thread group's share of the CPU used between {@code before} and this snapshot, largest
   * first, with its system-time share: {@code {"loralab-ns-device": {"share": 0.24, "system": 0.2}}}.
   * Groups under 0.5 % are left out.
   */
  Map<String, Object> sharesSince(ThreadCpu before) {
    Map<String, long[]> byGroup = new HashMap<>();
    long total = 0;
    for (Map.Entry<String, long[]> e : ticks.entrySet()) {
      long[] now = e.getValue();
      long[] then = before.ticks.getOrDefault(e.getKey(), new long[2]);
      long cpu = now[0] - then[0];
      long sys = now[1] - then[1];
      long[] g = byGroup.computeIfAbsent(groups.get(e.getKey()), k -> new long[2]);
      g[0] += cpu;
      g[1] += sys;
      total += cpu;
    }
    List<Map.Entry<String, long[]>> sorted = new ArrayList<>(byGroup.entrySet());
    sorted.sort((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]));
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : sorted) {
      long cpu = e.getValue()[0];
      if (total <= 0 || cpu * 200 < total) {
        continue;
      }
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("share", Math.round(1000.0 * cpu / total) / 1000.0);
      g.put("system", Math.round(100.0 * e.getValue()[1] / cpu) / 100.0);
      out.put(e.getKey(), g);
    }
    return out;
  }
}
