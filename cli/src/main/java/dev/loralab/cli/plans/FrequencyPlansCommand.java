package dev.loralab.cli.plans;

import dev.loralab.cli.CliInputException;
import dev.loralab.frequencyplans.FrequencyPlanException;
import dev.loralab.frequencyplans.FrequencyPlanStore;
import dev.loralab.frequencyplans.JsonViews;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loralab frequency-plans list|show <id>}: the frequency plans as JSON. */
@Command(
    name = "frequency-plans",
    mixinStandardHelpOptions = true,
    description = "List and show frequency plans (built-in and from a user directory) as JSON.",
    subcommands = {FrequencyPlansCommand.List.class, FrequencyPlansCommand.Show.class})
public final class FrequencyPlansCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--plans-dir",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Directory with more plans in The Things Network format (frequency-plans.yml + plan files).")
  Path plansDir;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  FrequencyPlanStore store() {
    return PlanOutput.store(Optional.ofNullable(plansDir));
  }

  /** {@code list}: the index entries. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the known frequency plans.")
  static final class List implements Runnable {
    @CommandLine.ParentCommand FrequencyPlansCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      PlanOutput.print(spec.commandLine().getOut(), JsonViews.planList(parent.store().descriptions()));
    }
  }

  /** {@code show <id>}: one resolved plan. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one resolved frequency plan.")
  static final class Show implements Runnable {
    @CommandLine.ParentCommand FrequencyPlansCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<id>", description = "Plan ID, e.g. EU_863_870_TTN.")
    String id;

    @Override
    public void run() {
      FrequencyPlanStore store = parent.store();
      try {
        // Unknown IDs and plan-file errors both come back as FrequencyPlanException.
        PlanOutput.print(spec.commandLine().getOut(), JsonViews.plan(store.get(id)));
      } catch (FrequencyPlanException e) {
        throw new CliInputException(e.getMessage());
      }
    }
  }
}
