package dev.loralab.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Any environment value yields a configuration or a {@link ConfigException} naming its key and source. */
class StackConfigLoaderProperties {

  @Property
  void arbitraryValuesOnlyRaiseConfigException(@ForAll @IntRange(min = 0, max = 17) int keyIndex,
      @ForAll String value) {
    String key = StackConfigLoader.keys().get(keyIndex % StackConfigLoader.keys().size());
    String env = StackConfigLoader.environmentVariable(key);
    try {
      StackConfigLoader.load(null, Map.of(env, value), List.of());
    } catch (ConfigException e) {
      assertThat(e.key()).isEqualTo(key);
      assertThat(e.source()).isEqualTo("environment variable " + env);
      assertThat(e.getMessage()).doesNotContain("\n");
    }
  }

  @Property
  void portsInRangeAreAccepted(@ForAll @IntRange(min = 0, max = 65535) int port) {
    StackConfig c = StackConfigLoader.load(null, Map.of("LORALAB_UDP_PORT", Integer.toString(port)), List.of());
    assertThat(c.udp().port()).isEqualTo(port);
  }
}
