package dev.loralab.cli.stack;

import dev.loralab.simulator.Scenario;
import dev.loralab.simulator.Simulation;
import dev.loralab.simulator.SimulationOptions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The demo scenario running in the background of {@code loralab start --demo}, until stopped. */
final class DemoSimulation implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DemoSimulation.class);

  private final Simulation simulation;
  private final Thread thread;

  private DemoSimulation(Simulation simulation) {
    this.simulation = simulation;
    this.thread = new Thread(this::runQuietly, "loralab-demo-simulation");
    this.thread.setDaemon(true);
  }

  /** Starts simulating {@code scenario} against the Semtech UDP server at {@code server} (host:port). */
  static DemoSimulation start(Scenario scenario, String server) {
    Simulation s = new Simulation(scenario, SimulationOptions.defaults().withServer(server)
        .withDuration(Duration.ofDays(3650)));
    DemoSimulation d = new DemoSimulation(s);
    d.thread.start();
    return d;
  }

  private void runQuietly() {
    try {
      simulation.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("demo simulation stopped: {}", e.getMessage());
    }
  }

  /** Stops the simulation. */
  @Override
  public void close() {
    simulation.stop();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
