package dev.loralab.cli.entities;

import dev.loralab.api.v3.Right;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code --right-<name>} flags of API key commands, derived from the {@link Right} enum as
 * {@code ttn-lw-cli} does: {@code RIGHT_APPLICATION_TRAFFIC_READ} is
 * {@code --right-application-traffic-read}.
 */
final class RightFlags {

  private static final String PREFIX = "--right-";

  private RightFlags() {
  }

  /** The flag of a right. */
  static String flag(Right r) {
    return PREFIX + r.name().substring("RIGHT_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Adds a boolean flag per right whose name starts with {@code prefix} (e.g. {@code RIGHT_}).
   * Idempotent: picocli may apply a transformer more than once.
   */
  static CommandSpec addFlags(CommandSpec spec, String prefix) {
    for (Right r : Right.values()) {
      if (r == Right.UNRECOGNIZED || r == Right.RIGHT_INVALID || !r.name().startsWith(prefix)
          || spec.findOption(flag(r)) != null) {
        continue;
      }
      spec.addOption(OptionSpec.builder(flag(r)).type(boolean.class).arity("0")
          .description(r.name()).hidden(false).build());
    }
    return spec;
  }

  /** The rights whose flags were given. */
  static List<Right> selected(CommandSpec spec) {
    List<Right> out = new ArrayList<>();
    for (Right r : Right.values()) {
      if (r == Right.UNRECOGNIZED || r == Right.RIGHT_INVALID) {
        continue;
      }
      OptionSpec o = spec.findOption(flag(r));
      if (o != null && Boolean.TRUE.equals(o.getValue())) {
        out.add(r);
      }
    }
    return out;
  }

  /** Every right. */
  static final class All implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      return addFlags(spec, "RIGHT_");
    }
  }

  /** Application rights. */
  static final class Application implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      return addFlags(spec, "RIGHT_APPLICATION_");
    }
  }

  /** Gateway rights. */
  static final class Gateway implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      return addFlags(spec, "RIGHT_GATEWAY_");
    }
  }
}
