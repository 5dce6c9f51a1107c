package dev.loralab.cli.config;

import dev.loralab.cli.CliInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code loralab config}: prints the effective configuration (defaults, file, environment, flags). */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = {"Print the effective stack configuration.",
        "Precedence: embedded defaults < YAML file (--config or ./loralab.yml) < environment "
            + "variables LORALAB_<SECTION>_<KEY> (e.g. LORALAB_HTTP_PORT, LORALAB_DATA_DIR) < flags."})
public final class ConfigCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin StackConfigOptions options;

  @Option(names = "--format", paramLabel = "yaml|json", defaultValue = "yaml",
      description = "Output format: yaml (default) or json.")
  String format;

  @Option(names = "--keys", description = "List every setting: key, environment variable, default, description.")
  boolean keys;

  @Override
  public void run() {
    if (keys) {
      java.util.Map<String, Object> defaults = StackConfigLoader.flatten(StackConfig.defaults());
      java.io.PrintWriter out = spec.commandLine().getOut();
      for (String k : StackConfigLoader.keys()) {
        out.printf("%-42s %-46s %-12s %s%n", k, StackConfigLoader.environmentVariable(k),
            defaults.get(k) == null ? "(none)" : String.valueOf(defaults.get(k)), StackConfigLoader.description(k).orElse(""));
      }
      out.flush();
      return;
    }
    StackConfig config;
    try {
      config = options.load();
    } catch (ConfigException e) {
      throw new CliInputException("configuration: " + e.getMessage());
    }
    String text = switch (format) {
      case "yaml" -> StackConfigLoader.toYaml(config);
      case "json" -> StackConfigLoader.toJson(config) + System.lineSeparator();
      default -> throw new CliInputException("--format: expected yaml or json, found '" + format + "'");
    };
    spec.commandLine().getOut().print(text);
    spec.commandLine().getOut().flush();
  }
}
