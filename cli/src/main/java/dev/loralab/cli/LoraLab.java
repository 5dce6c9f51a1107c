package dev.loralab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code loralab} command: entry point of the CLI.
 *
 * <p>Exit status: 0 on success, 1 on a runtime failure, 2 on invalid input (usage errors and
 * malformed arguments), with one line on stderr saying what was wrong.
 */
@Command(
    name = "loralab",
    mixinStandardHelpOptions = true,
    versionProvider = LoraLab.Version.class,
    description = "LoRaLab: a LoRaWAN network server and simulator with live, correlated events.",
    subcommands = {
      CommandLine.HelpCommand.class,
      dev.loralab.cli.packet.PacketCommand.class,
      dev.loralab.cli.plans.FrequencyPlansCommand.class,
      dev.loralab.cli.plans.BandsCommand.class,
      dev.loralab.cli.simulate.SimulateCommand.class,
      dev.loralab.cli.stack.StartCommand.class,
      dev.loralab.cli.config.ConfigCommand.class,
      dev.loralab.cli.entities.UsersCommand.class,
      dev.loralab.cli.entities.ApplicationsCommand.class,
      dev.loralab.cli.entities.GatewaysCommand.class,
      dev.loralab.cli.entities.EndDevicesCommand.class,
      dev.loralab.cli.events.EventsCommand.class,
    })
public final class LoraLab implements Runnable {

  /** Exit status for invalid input. */
  public static final int EXIT_INVALID_INPUT = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine newCommandLine() {
    CommandLine cmd = new CommandLine(new LoraLab());
    cmd.setParameterExceptionHandler(
        (ex, a) -> {
          ex.getCommandLine().getErr().println("loralab: " + ex.getMessage());
          return EXIT_INVALID_INPUT;
        });
    cmd.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof CliInputException) {
            commandLine.getErr().println("loralab: " + ex.getMessage());
            return EXIT_INVALID_INPUT;
          }
          commandLine.getErr().println("loralab: " + ex);
          return 1;
        });
    return cmd;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Version from the jar manifest, or "development". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LoraLab.class.getPackage().getImplementationVersion();
      return new String[] {"loralab " + (v == null ? "development" : v)};
    }
  }
}
