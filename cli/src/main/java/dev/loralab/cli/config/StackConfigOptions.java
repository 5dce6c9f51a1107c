package dev.loralab.cli.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Picocli mixin of the options selecting the stack configuration: {@code --config FILE}, the
 * common settings as flags, and {@code --set KEY=VALUE} for any setting.
 */
public final class StackConfigOptions {

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML configuration file (default: ./" + StackConfigLoader.DEFAULT_FILE + " if present).")
  Path configFile;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (data.dir).")
  String dataDir;

  @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port (http.port).")
  String httpPort;

  @Option(names = "--grpc-port", paramLabel = "PORT", description = "gRPC port (grpc.port).")
  String grpcPort;

  @Option(names = "--udp-port", paramLabel = "PORT", description = "Semtech UDP port (udp.port).")
  String udpPort;

  @Option(names = "--frequency-plans-dir", paramLabel = "DIR",
      description = "Directory with more frequency plans (frequency-plans.dir).")
  String frequencyPlansDir;

  @Option(names = "--log-level", paramLabel = "LEVEL", description = "Root log level (log.level).")
  String logLevel;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Any setting, e.g. --set events.history-max-events=500 (repeatable).")
  List<String> sets = new ArrayList<>();

  /**
   * The effective configuration for this invocation.
   *
   * @param env              the environment
   * @param workingDirectory where {@code loralab.yml} is looked for
   * @throws ConfigException for an unknown key or a bad value
   */
  public StackConfig load(Map<String, String> env, Path workingDirectory) {
    List<StackConfigLoader.FlagValue> flags = new ArrayList<>();
    add(flags, "data.dir", dataDir, "--data-dir");
    add(flags, "http.port", httpPort, "--http-port");
    add(flags, "grpc.port", grpcPort, "--grpc-port");
    add(flags, "udp.port", udpPort, "--udp-port");
    add(flags, "frequency-plans.dir", frequencyPlansDir, "--frequency-plans-dir");
    add(flags, "log.level", logLevel, "--log-level");
    for (String s : sets) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(s, "flag --set " + s, "expected KEY=VALUE, found no '='");
      }
      flags.add(new StackConfigLoader.FlagValue(s.substring(0, eq), s.substring(eq + 1), "--set " + s));
    }
    return StackConfigLoader.load(StackConfigLoader.chooseFile(configFile, workingDirectory), env, flags);
  }

  /** The effective configuration with the process environment and working directory. */
  public StackConfig load() {
    return load(System.getenv(), Path.of("").toAbsolutePath());
  }

  private static void add(List<StackConfigLoader.FlagValue> flags, String key, String value, String flag) {
    if (value != null) {
      flags.add(new StackConfigLoader.FlagValue(key, value, flag + " " + value));
    }
  }
}
