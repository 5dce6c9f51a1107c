package dev.loralab.joinserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.joinserver.DeviceNonces;
import dev.loralab.joinserver.JoinRejectReason;
import dev.loralab.lorawan.DevNonce;
import dev.loralab.lorawan.JoinNonce;
import dev.loralab.lorawan.MacVersion;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class NonceRulesTest {

  private static final DevNonce A = DevNonce.parse("AF7C");
  private static final DevNonce B = DevNonce.parse("0001");

  @Test
  void firstJoinGetsJoinNonceOneAndRecordsTheDevNonce() {
    DeviceNonces n = NonceRules.accept(MacVersion.V1_0_3, A, DeviceNonces.initial(), 10);
    assertThat(n.lastJoinNonce()).isEqualTo(new JoinNonce(1));
    assertThat(n.lastDevNonce()).contains(A);
    assertThat(n.usedDevNonces()).containsExactly(A);
  }

  @Test
  void v103RejectsAnyReuseButAcceptsSmallerValues() {
    DeviceNonces n = NonceRules.accept(MacVersion.V1_0_3, A, DeviceNonces.initial(), 10);
    n = NonceRules.accept(MacVersion.V1_0_3, B, n, 10); // smaller than AF7C: fine, it is random
    assertThat(n.lastJoinNonce()).isEqualTo(new JoinNonce(2));
    DeviceNonces state = n;
    assertThatThrownBy(() -> NonceRules.accept(MacVersion.V1_0_3, A, state, 10))
        .isInstanceOfSatisfying(JoinRejection.class, r -> {
          assertThat(r.reason()).isEqualTo(JoinRejectReason.DEV_NONCE_REUSED);
          assertThat(r.field()).isEqualTo("DevNonce");
          assertThat(r.getMessage()).contains("AF7C");
        });
  }

  @Test
  void v103HistoryIsBoundedOldestFirst() {
    DeviceNonces n = DeviceNonces.initial();
    for (int i = 0; i < 5; i++) {
      n = NonceRules.accept(MacVersion.V1_0_2, new DevNonce(i), n, 3);
    }
    assertThat(n.usedDevNonces()).containsExactly(new DevNonce(2), new DevNonce(3),
        new DevNonce(4));
    // 0 was forgotten: accepted again (the bound is configuration)
    assertThat(NonceRules.accept(MacVersion.V1_0_2, new DevNonce(0), n, 3).lastJoinNonce())
        .isEqualTo(new JoinNonce(6));
  }

  @Test
  void v104And11RequireAnIncreasingDevNonce() {
    for (MacVersion v : List.of(MacVersion.V1_0_4, MacVersion.V1_1)) {
      DeviceNonces n = NonceRules.accept(v, new DevNonce(0), DeviceNonces.initial(), 10);
      n = NonceRules.accept(v, new DevNonce(5), n, 10);
      assertThat(n.usedDevNonces()).isEmpty();
      for (int bad : new int[] {5, 4, 0}) {
        DeviceNonces state = n;
        assertThatThrownBy(() -> NonceRules.accept(v, new DevNonce(bad), state, 10))
            .isInstanceOfSatisfying(JoinRejection.class, r -> {
              assertThat(r.reason()).isEqualTo(JoinRejectReason.DEV_NONCE_TOO_SMALL);
              assertThat(r.getMessage()).contains("0005").contains(v.text());
            });
      }
      assertThat(NonceRules.accept(v, new DevNonce(6), n, 10).lastJoinNonce())
          .isEqualTo(new JoinNonce(3));
    }
  }

  @Test
  void joinNonceNeverWraps() {
    DeviceNonces last = new DeviceNonces(new JoinNonce(0xFFFFFF), Optional.of(B), List.of());
    assertThatThrownBy(() -> NonceRules.accept(MacVersion.V1_1, A, last, 10))
        .isInstanceOfSatisfying(JoinRejection.class,
            r -> assertThat(r.reason()).isEqualTo(JoinRejectReason.JOIN_NONCE_EXHAUSTED));
  }

  /** For 1.0.0–1.0.3: a DevNonce is accepted iff it is not in the remembered history. */
  @Property(tries = 200)
  void v10AcceptsExactlyUnseenDevNonces(@ForAll("nonces") List<Integer> sequence) {
    DeviceNonces n = DeviceNonces.initial();
    Set<Integer> seen = new HashSet<>();
    int joins = 0;
    for (int v : sequence) {
      boolean fresh = seen.add(v);
      try {
        n = NonceRules.accept(MacVersion.V1_0_3, new DevNonce(v), n, 1024);
        assertThat(fresh).isTrue();
        joins++;
      } catch (JoinRejection r) {
        assertThat(fresh).isFalse();
        assertThat(r.reason()).isEqualTo(JoinRejectReason.DEV_NONCE_REUSED);
      }
    }
    assertThat(n.lastJoinNonce().value()).isEqualTo(joins);
  }

  /** For 1.0.4 and 1.1: accepted DevNonces strictly increase and JoinNonce counts accepts. */
  @Property(tries = 200)
  void counterVersionsAcceptOnlyIncreasingDevNonces(@ForAll("nonces") List<Integer> sequence) {
    DeviceNonces n = DeviceNonces.initial();
    int max = -1;
    int joins = 0;
    for (int v : sequence) {
      try {
        n = NonceRules.accept(MacVersion.V1_1, new DevNonce(v), n, 1024);
        assertThat(v).isGreaterThan(max);
        max = v;
        joins++;
      } catch (JoinRejection r) {
        assertThat(v).isLessThanOrEqualTo(max);
      }
    }
    assertThat(n.lastJoinNonce().value()).isEqualTo(joins);
  }

  @Provide
  Arbitrary<List<Integer>> nonces() {
    return Arbitraries.integers().between(0, 40).list().ofMaxSize(60);
  }
}
