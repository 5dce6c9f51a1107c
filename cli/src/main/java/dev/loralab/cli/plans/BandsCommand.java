package dev.loralab.cli.plans;

import dev.loralab.cli.CliInputException;
import dev.loralab.frequencyplans.Bands;
import dev.loralab.frequencyplans.FrequencyPlanException;
import dev.loralab.frequencyplans.JsonViews;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code loralab bands list|show <id>}: the regional-parameters bands as JSON. */
@Command(
    name = "bands",
    mixinStandardHelpOptions = true,
    description = "List and show LoRaWAN regional-parameters bands (RP002-1.0.4) as JSON.",
    subcommands = {BandsCommand.List.class, BandsCommand.Show.class})
public final class BandsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code list}: the band IDs. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the supported bands.")
  static final class List implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      PlanOutput.print(spec.commandLine().getOut(), JsonViews.bandList(Bands.all()));
    }
  }

  /** {@code show <id>}: all tables of one band. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one band with all its tables.")
  static final class Show implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<id>", description = "Band ID, e.g. EU_863_870.")
    String id;

    @Override
    public void run() {
      try {
        PlanOutput.print(spec.commandLine().getOut(), JsonViews.band(Bands.byId(id)));
      } catch (FrequencyPlanException e) {
        throw new CliInputException(e.getMessage());
      }
    }
  }
}
