package dev.loralab.cli.stack;

import java.io.PrintWriter;

/** Runs the simulator's demo scenario against the stack's UDP port, when the simulator is available. */
final class DemoSimulation {

  private DemoSimulation() {
  }

  /** Starts the simulation in the background; false when the simulator is not part of this build. */
  static boolean start(Stack stack, PrintWriter out) {
    return false;
  }
}
