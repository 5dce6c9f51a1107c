package dev.loralab.events;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.loralab.api.ApiException;
import dev.loralab.api.auth.RightSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * All event definitions of the process. Each server module registers its definitions at start-up;
 * a name registered twice is a start-up failure.
 *
 * <p>The synthetic stream events {@link #STREAM_START} and {@link #STREAM_LAG} are always present
 * and listed, but cannot be selected by a name filter (as in The Things Stack).
 */
public final class EventCatalogue {

  /** First frame of every stream; data is the list of expanded names when a filter was given. */
  public static final EventDefinition STREAM_START = new EventDefinition("events.stream.start",
      "stream started", "google.protobuf.Value", RightSet.empty(), false);

  /** Sent in-band to a subscriber that fell behind; data {@code {"missed": <count>}}. */
  public static final EventDefinition STREAM_LAG = new EventDefinition("events.stream.lag",
      "stream subscriber fell behind and missed events", "google.protobuf.Struct", RightSet.empty(), false);

  /** Default maximum length of one name pattern. */
  public static final int DEFAULT_MAX_PATTERN_LENGTH = 256;
  /** Default steps a user regex may take per name before it is rejected as too complex (backtracking guard). */
  public static final int DEFAULT_MAX_REGEX_STEPS = 100_000;

  private final Map<String, EventDefinition> definitions = new ConcurrentSkipListMap<>();
  private final int maxPatternLength;
  private final int maxRegexSteps;

  /** A catalogue with the synthetic stream events. */
  public EventCatalogue() {
    this(DEFAULT_MAX_PATTERN_LENGTH, DEFAULT_MAX_REGEX_STEPS);
  }

  /**
   * @param maxPatternLength longest accepted name pattern in {@link #expandNames}
   * @param maxRegexSteps    character reads a {@code /regex/} may make per defined name before it is rejected
   */
  public EventCatalogue(int maxPatternLength, int maxRegexSteps) {
    if (maxPatternLength < 1) {
      throw new IllegalArgumentException("maxPatternLength: expected >= 1, found " + maxPatternLength);
    }
    if (maxRegexSteps < 1) {
      throw new IllegalArgumentException("maxRegexSteps: expected >= 1, found " + maxRegexSteps);
    }
    this.maxPatternLength = maxPatternLength;
    this.maxRegexSteps = maxRegexSteps;
    register(STREAM_START, STREAM_LAG);
  }

  /**
   * Registers definitions.
   *
   * @throws IllegalStateException naming the first name that is already registered (nothing of this call is registered then)
   */
  public synchronized EventCatalogue register(EventDefinition... defs) {
    return register(List.of(defs));
  }

  /** Registers definitions; see {@link #register(EventDefinition...)}. */
  public synchronized EventCatalogue register(Collection<EventDefinition> defs) {
    TreeSet<String> names = new TreeSet<>();
    for (EventDefinition d : defs) {
      Objects.requireNonNull(d, "definition");
      if (definitions.containsKey(d.name()) || !names.add(d.name())) {
        throw new IllegalStateException("event " + d.name() + " is defined twice");
      }
    }
    for (EventDefinition d : defs) {
      definitions.put(d.name(), d);
    }
    return this;
  }

  /** All definitions, sorted by name. */
  public List<EventDefinition> all() {
    return List.copyOf(definitions.values());
  }

  /** The definition of {@code name}. */
  public Optional<EventDefinition> get(String name) {
    return Optional.ofNullable(definitions.get(name));
  }

  /** Whether the name is a synthetic stream event. */
  public static boolean isSynthetic(String name) {
    return STREAM_START.name().equals(name) || STREAM_LAG.name().equals(name);
  }

  /**
   * Expands name patterns to the sorted set of defined names they select. A pattern is an exact
   * defined name, a {@code /regex/} (Java syntax, found anywhere in the name, as in The Things
   * Stack) or a glob where {@code *} matches any run of characters (e.g. {@code ns.up.*}).
   * An empty list selects everything and expands to an empty list.
   *
   * @throws ApiException INVALID_ARGUMENT naming the pattern: unknown name, invalid regex, or a
   *     pattern matching no defined event
   */
  public List<String> expandNames(List<String> patterns) {
    TreeSet<String> out = new TreeSet<>();
    for (String p : patterns) {
      if (p == null || p.isEmpty()) {
        throw invalid("expected an event name or pattern, found an empty string");
      }
      if (p.length() > maxPatternLength) {
        throw invalid("pattern of " + p.length() + " characters: expected at most " + maxPatternLength);
      }
      if (p.length() >= 2 && p.startsWith("/") && p.endsWith("/")) {
        Pattern re;
        try {
          re = Pattern.compile(p.substring(1, p.length() - 1));
        } catch (PatternSyntaxException e) {
          throw invalid("invalid regular expression " + p + ": " + e.getDescription());
        }
        int before = out.size();
        boolean any = false;
        for (String name : definitions.keySet()) {
          if (!isSynthetic(name) && findBounded(re, name, p)) {
            out.add(name);
            any = true;
          }
        }
        if (!any && out.size() == before) {
          throw invalid("regular expression " + p + " matches no defined event");
        }
      } else if (p.indexOf('*') >= 0) {
        Pattern re = globToRegex(p);
        boolean any = false;
        for (String name : definitions.keySet()) {
          if (!isSynthetic(name) && re.matcher(name).matches()) {
            out.add(name);
            any = true;
          }
        }
        if (!any) {
          throw invalid("glob " + p + " matches no defined event");
        }
      } else {
        if (isSynthetic(p)) {
          throw invalid("event " + p + " is synthetic and cannot be filtered");
        }
        if (!definitions.containsKey(p)) {
          throw invalid("unknown event name " + p);
        }
        out.add(p);
      }
    }
    return List.copyOf(out);
  }

  private boolean findBounded(Pattern re, String name, String pattern) {
    try {
      return re.matcher(new StepLimitedChars(name, maxRegexSteps)).find();
    } catch (StepLimitedChars.LimitExceeded e) {
      throw invalid("regular expression " + pattern + " is too complex");
    } catch (StackOverflowError e) {
      throw invalid("regular expression " + pattern + " is too complex");
    }
  }

  /** A char sequence that fails after a fixed number of reads, bounding regex backtracking. */
  private static final class StepLimitedChars implements CharSequence {
    static final class LimitExceeded extends RuntimeException {
      private static final long serialVersionUID = 1L;

      LimitExceeded() {
        super(null, null, false, false);
      }
    }

    private final String s;
    private final int[] budget;

    StepLimitedChars(String s, int steps) {
      this(s, new int[] {steps});
    }

    private StepLimitedChars(String s, int[] budget) {
      this.s = s;
      this.budget = budget;
    }

    @Override
    public char charAt(int index) {
      if (--budget[0] < 0) {
        throw new LimitExceeded();
      }
      return s.charAt(index);
    }

    @Override
    public int length() {
      return s.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new StepLimitedChars(s.substring(start, end), budget);
    }

    @Override
    public String toString() {
      return s;
    }
  }

  private static Pattern globToRegex(String glob) {
    StringBuilder sb = new StringBuilder();
    int start = 0;
    for (int i = 0; i < glob.length(); i++) {
      if (glob.charAt(i) == '*') {
        if (i > start) {
          sb.append(Pattern.quote(glob.substring(start, i)));
        }
        sb.append(".*");
        start = i + 1;
      }
    }
    if (start < glob.length()) {
      sb.append(Pattern.quote(glob.substring(start)));
    }
    return Pattern.compile(sb.toString());
  }

  private static ApiException invalid(String reason) {
    return ApiException.invalidArgument("names", reason);
  }

  /** The catalogue as JSON {@code {"definitions":[{"name":..,"description":..,"data_type":..,"visibility":{"rights":[..]},"propagate_to_parent":..}]}}. */
  public String toJson() {
    List<Value> list = new ArrayList<>();
    for (EventDefinition d : definitions.values()) {
      Struct.Builder s = Struct.newBuilder()
          .putFields("name", Value.newBuilder().setStringValue(d.name()).build())
          .putFields("description", Value.newBuilder().setStringValue(d.description()).build());
      if (d.dataType() != null) {
        s.putFields("data_type", Value.newBuilder().setStringValue(d.dataType()).build());
      }
      List<Value> rights = new ArrayList<>();
      d.visibility().asSet().stream().map(Enum::name).sorted()
          .forEach(r -> rights.add(Value.newBuilder().setStringValue(r).build()));
      s.putFields("visibility", Value.newBuilder().setStructValue(Struct.newBuilder()
          .putFields("rights", Value.newBuilder().setListValue(
              com.google.protobuf.ListValue.newBuilder().addAllValues(rights)).build())).build());
      s.putFields("propagate_to_parent", Value.newBuilder().setBoolValue(d.propagateToParent()).build());
      s.putFields("synthetic", Value.newBuilder().setBoolValue(isSynthetic(d.name())).build());
      list.add(Value.newBuilder().setStructValue(s).build());
    }
    Struct root = Struct.newBuilder().putFields("definitions", Value.newBuilder()
        .setListValue(com.google.protobuf.ListValue.newBuilder().addAllValues(list)).build()).build();
    return dev.loralab.api.ProtoJson.print(root);
  }
}
