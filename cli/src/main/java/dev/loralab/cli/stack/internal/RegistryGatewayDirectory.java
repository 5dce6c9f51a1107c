package dev.loralab.cli.stack.internal;

import dev.loralab.api.v3.Gateway;
import dev.loralab.gatewayserver.GatewayDirectory;
import dev.loralab.gatewayserver.RegisteredGateway;
import dev.loralab.identityserver.GatewayRegistry;
import dev.loralab.lorawan.Eui64;
import java.util.Objects;
import java.util.Optional;

/** The gateway server's {@link GatewayDirectory} over the identity server's {@link GatewayRegistry}. */
public final class RegistryGatewayDirectory implements GatewayDirectory {

  private final GatewayRegistry gateways;
  private final String defaultPlan;

  /**
   * @param gateways    the registry
   * @param defaultPlan the plan of gateways registered without one
   */
  public RegistryGatewayDirectory(GatewayRegistry gateways, String defaultPlan) {
    this.gateways = Objects.requireNonNull(gateways, "gateways");
    this.defaultPlan = Objects.requireNonNull(defaultPlan, "defaultPlan");
  }

  @Override
  public Optional<RegisteredGateway> byEui(Eui64 eui) {
    return gateways.getByEui(eui.toString()).map(this::registered);
  }

  RegisteredGateway registered(Gateway g) {
    String plan = !g.getFrequencyPlanId().isEmpty() ? g.getFrequencyPlanId()
        : g.getFrequencyPlanIdsCount() > 0 ? g.getFrequencyPlanIds(0) : defaultPlan;
    double gain = g.getAntennasCount() > 0 ? g.getAntennas(0).getGain() : 0;
    if (!(gain >= -10 && gain <= 30)) {
      gain = 0;
    }
    return new RegisteredGateway(g.getIds(), plan, g.getEnforceDutyCycle(), gain, g.getScheduleDownlinkLate());
  }
}
