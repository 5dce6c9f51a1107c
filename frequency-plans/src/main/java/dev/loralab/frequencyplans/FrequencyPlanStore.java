package dev.loralab.frequencyplans;

import dev.loralab.frequencyplans.internal.PlanAssembler;
import dev.loralab.frequencyplans.internal.PlanFiles;
import dev.loralab.frequencyplans.internal.PlanIndexReader;
import dev.loralab.frequencyplans.internal.YamlDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Frequency plans in The Things Network's YAML format: the built-in plans (classpath folder
 * {@code /frequency-plans/}, index {@code frequency-plans.yml}) plus, optionally, a user directory
 * in the same format whose index entries add plans or replace built-in ones with the same ID. A
 * user plan's files are looked up in the user directory first, then among the built-in files, so a
 * user plan may overlay a built-in base plan with {@code base-id}.
 *
 * <p>Plans are resolved on first use and cached; instances are thread-safe.
 */
public final class FrequencyPlanStore {
  /** Default size limit of one plan or index file. */
  public static final int DEFAULT_MAX_FILE_BYTES = 1 << 20;

  /** Longest allowed chain of base-id overlays. */
  public static final int MAX_OVERLAY_DEPTH = 8;

  private final Map<String, FrequencyPlanDescription> descriptions;
  private final PlanFiles builtIn;
  private final Optional<PlanFiles> user;
  private final int maxFileBytes;
  private final Map<String, FrequencyPlan> cache = new ConcurrentHashMap<>();

  private FrequencyPlanStore(Optional<Path> userDirectory, int maxFileBytes) {
    if (maxFileBytes <= 0) {
      throw new FrequencyPlanException("frequency plans: positive file size limit expected, found " + maxFileBytes);
    }
    this.maxFileBytes = maxFileBytes;
    this.builtIn = PlanFiles.classpath();
    Map<String, FrequencyPlanDescription> all = new LinkedHashMap<>();
    byte[] index = builtIn.read("index", PlanIndexReader.INDEX_FILE, maxFileBytes)
        .orElseThrow(() -> new FrequencyPlanException("built-in frequency-plan index is missing"));
    for (FrequencyPlanDescription d : PlanIndexReader.read(index, false)) {
      all.put(d.id(), d);
    }
    if (userDirectory.isPresent()) {
      Path dir = userDirectory.get();
      if (!Files.isDirectory(dir)) {
        throw new FrequencyPlanException("frequency-plan directory " + dir + " does not exist or is not a directory");
      }
      PlanFiles files = PlanFiles.directory(dir);
      byte[] userIndex = files.read("index", PlanIndexReader.INDEX_FILE, maxFileBytes)
          .orElseThrow(() -> new FrequencyPlanException(
              "frequency-plan directory " + dir + " has no index file " + PlanIndexReader.INDEX_FILE));
      for (FrequencyPlanDescription d : PlanIndexReader.read(userIndex, true)) {
        all.put(d.id(), d);
      }
      this.user = Optional.of(files);
    } else {
      this.user = Optional.empty();
    }
    this.descriptions = Collections.unmodifiableMap(all);
  }

  /** The built-in plans only. */
  public static FrequencyPlanStore builtIn() {
    return new FrequencyPlanStore(Optional.empty(), DEFAULT_MAX_FILE_BYTES);
  }

  /** The built-in plans plus the plans of a user directory (which must hold a {@code frequency-plans.yml}). */
  public static FrequencyPlanStore withUserDirectory(Path directory) {
    return new FrequencyPlanStore(Optional.of(directory), DEFAULT_MAX_FILE_BYTES);
  }

  /**
   * A store with explicit configuration.
   *
   * @param userDirectory optional user plan directory
   * @param maxFileBytes size limit of one YAML file
   */
  public static FrequencyPlanStore load(Optional<Path> userDirectory, int maxFileBytes) {
    return new FrequencyPlanStore(userDirectory, maxFileBytes);
  }

  /** All index entries, built-in first, in index order. */
  public List<FrequencyPlanDescription> descriptions() {
    return List.copyOf(descriptions.values());
  }

  /** The index entry of a plan, if known. */
  public Optional<FrequencyPlanDescription> description(String id) {
    return Optional.ofNullable(descriptions.get(id));
  }

  /**
   * The resolved plan.
   *
   * @throws FrequencyPlanException for an unknown ID (naming the known IDs) or any error in the
   *     plan's files (naming plan, file and field)
   */
  public FrequencyPlan get(String id) {
    FrequencyPlan cached = cache.get(id);
    if (cached != null) {
      return cached;
    }
    FrequencyPlan plan = resolve(id);
    FrequencyPlan previous = cache.putIfAbsent(id, plan);
    return previous != null ? previous : plan;
  }

  private FrequencyPlanDescription requireDescription(String id) {
    FrequencyPlanDescription d = id == null ? null : descriptions.get(id);
    if (d == null) {
      throw new FrequencyPlanException(
          "unknown frequency plan '" + id + "'; known: " + String.join(", ", descriptions.keySet()));
    }
    return d;
  }

  private FrequencyPlan resolve(String id) {
    FrequencyPlanDescription leaf = requireDescription(id);
    List<FrequencyPlanDescription> lineage = new ArrayList<>();
    FrequencyPlanDescription current = leaf;
    while (true) {
      for (FrequencyPlanDescription seen : lineage) {
        if (seen.id().equals(current.id())) {
          throw FrequencyPlanException.inPlan(id, PlanIndexReader.INDEX_FILE, "base-id", "forms a cycle through " + current.id());
        }
      }
      lineage.add(current);
      if (lineage.size() > MAX_OVERLAY_DEPTH) {
        throw FrequencyPlanException.inPlan(
            id, PlanIndexReader.INDEX_FILE, "base-id", "chain is longer than " + MAX_OVERLAY_DEPTH + " plans");
      }
      if (current.baseId().isEmpty()) {
        break;
      }
      String baseId = current.baseId().get();
      FrequencyPlanDescription base = descriptions.get(baseId);
      if (base == null) {
        throw FrequencyPlanException.inPlan(
            current.id(), PlanIndexReader.INDEX_FILE, "base-id", "'" + baseId + "' is not a known plan");
      }
      current = base;
    }
    Collections.reverse(lineage);
    List<PlanAssembler.Document> chain = new ArrayList<>();
    for (FrequencyPlanDescription d : lineage) {
      byte[] bytes = readPlanFile(id, d);
      chain.add(new PlanAssembler.Document(d.file(), YamlDocuments.parse(id, d.file(), bytes)));
    }
    return PlanAssembler.assemble(leaf, chain);
  }

  private byte[] readPlanFile(String planId, FrequencyPlanDescription d) {
    if (d.userDefined() && user.isPresent()) {
      Optional<byte[]> bytes = user.get().read(planId, d.file(), maxFileBytes);
      if (bytes.isPresent()) {
        return bytes.get();
      }
    }
    return builtIn.read(planId, d.file(), maxFileBytes)
        .orElseThrow(() -> FrequencyPlanException.inPlan(
            planId, d.file(), null, "does not exist"
                + (d.userDefined() ? " in the user directory or the built-in plans" : " in the built-in plans")));
  }
}
