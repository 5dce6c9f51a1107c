package dev.loralab.cli.packet;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code loralab packet}: offline LoRaWAN frame tools (decode, key derivation). */
@Command(
    name = "packet",
    mixinStandardHelpOptions = true,
    description = "Decode LoRaWAN frames and derive session keys, offline.",
    subcommands = {DecodeCommand.class, DeriveKeysCommand.class})
public final class PacketCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
