package dev.loralab.networkserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.lorawan.DevAddr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownlinkBackoffTest {

  static final DevAddr A = DevAddr.parse("26011F01");
  static final DevAddr B = DevAddr.parse("26011F02");

  /**
   * The uplinks (FCntUp {@code from..to}) that attempt while every attempt is refused: a deferred
   * uplink does not attempt, an attempting one is refused.
   */
  static List<Long> attemptsWhileRefused(DownlinkBackoff b, DevAddr a, long from, long to) {
    List<Long> attempts = new ArrayList<>();
    for (long f = from; f <= to; f++) {
      long fCnt = f & 0xFFFF_FFFFL;
      if (!b.defers(a, fCnt)) {
        attempts.add(fCnt);
        b.refused(a, fCnt);
      }
    }
    return attempts;
  }

  @Test
  void theBackOffDoublesPerConsecutiveRefusalUpToTheMaximum() {
    DownlinkBackoff b = new DownlinkBackoff(1024, 32);
    // windows 1, 2, 4, 8, 16, 32, 32: attempts 1, 3, 6, 11, 20, 37, 70, 103
    assertThat(attemptsWhileRefused(b, A, 1, 110))
        .containsExactly(1L, 3L, 6L, 11L, 20L, 37L, 70L, 103L);
  }

  @Test
  void theReturnedWindowDoublesAndIsCapped() {
    DownlinkBackoff b = new DownlinkBackoff(16, 5);
    assertThat(b.refused(A, 10)).isEqualTo(1);
    assertThat(b.refused(A, 12)).isEqualTo(2);
    assertThat(b.refused(A, 15)).isEqualTo(4);
    assertThat(b.refused(A, 20)).isEqualTo(5);
    assertThat(b.refused(A, 26)).isEqualTo(5);
    assertThat(b.defers(A, 27)).isTrue();
    assertThat(b.defers(A, 31)).isTrue();
    assertThat(b.defers(A, 32)).isFalse();
  }

  @Test
  void anAcceptedDownlinkResetsTheBackOff() {
    DownlinkBackoff b = new DownlinkBackoff(1024, 32);
    assertThat(attemptsWhileRefused(b, A, 1, 11)).containsExactly(1L, 3L, 6L, 11L);
    assertThat(b.defers(A, 12)).isTrue();
    b.accepted(A);
    assertThat(b.defers(A, 12)).isFalse();
    // the next refusal starts again at one uplink
    assertThat(b.refused(A, 12)).isEqualTo(1);
    assertThat(b.defers(A, 13)).isTrue();
    assertThat(b.defers(A, 14)).isFalse();
  }

  @Test
  void anFCntUpFarBelowTheBoundIsNotDeferred() {
    DownlinkBackoff b = new DownlinkBackoff(1024, 32);
    // attempts 1000, 1002, 1005, 1010, 1019, 1036, 1069: deferred up to 1101
    assertThat(attemptsWhileRefused(b, A, 1000, 1100)).endsWith(1036L, 1069L);
    assertThat(b.defers(A, 1101)).isTrue();
    // a new session (rejoin or reset): FCntUp starts again at 0, far below the bound
    for (long f = 0; f < 900; f++) {
      assertThat(b.defers(A, f)).as("FCntUp %d", f).isFalse();
    }
    // and its first refusal starts again at one uplink, not at the old session's 32
    assertThat(b.refused(A, 0)).isEqualTo(1);
    assertThat(b.defers(A, 1)).isTrue();
    assertThat(b.defers(A, 2)).isFalse();
  }

  @Test
  void anFCntUpPastTheBoundIsNotDeferredAndAFarRefusalStartsAgain() {
    DownlinkBackoff b = new DownlinkBackoff(1024, 8);
    assertThat(b.refused(A, 10)).isEqualTo(1);
    assertThat(b.refused(A, 12)).isEqualTo(2);
    assertThat(b.defers(A, 15)).isFalse();
    // a refusal within max uplinks after the bound is consecutive
    assertThat(b.refused(A, 22)).isEqualTo(4);
    // more than max uplinks after the bound (26): a new episode
    assertThat(b.refused(A, 35)).isEqualTo(1);
  }

  @Test
  void theBoundIsComparedModulo2To32() {
    DownlinkBackoff b = new DownlinkBackoff(1024, 32);
    long top = 0xFFFF_FFFFL;
    assertThat(b.refused(A, top - 1)).isEqualTo(1);
    // the deferred uplink's own (late) refusal is consecutive: window 2 from FCntUp 2^32-1
    assertThat(b.refused(A, top)).isEqualTo(2);
    assertThat(b.defers(A, 0)).isTrue(); // the bound wrapped to 1
    assertThat(b.defers(A, 1)).isTrue();
    assertThat(b.defers(A, 2)).isFalse();
    assertThat(b.defers(A, top)).isFalse();
  }

  @Test
  void collidingDevAddrsOnlyMakeOneAttemptMore() {
    // one slot: every DevAddr shares it
    DownlinkBackoff b = new DownlinkBackoff(1, 32);
    assertThat(b.size()).isEqualTo(1);
    attemptsWhileRefused(b, A, 1, 11);
    assertThat(b.defers(A, 12)).isTrue();
    // another DevAddr's tag differs: its state is not A's, so it attempts
    assertThat(b.defers(B, 12)).isFalse();
    // its refusal takes the slot: A loses its back-off and attempts (never defers for ever)
    b.refused(B, 12);
    assertThat(b.defers(A, 12)).isFalse();
    assertThat(b.defers(B, 13)).isTrue();
    // A's accepted downlink does not reset B's back-off
    b.accepted(A);
    assertThat(b.defers(B, 13)).isTrue();
  }

  @Test
  void manyDevicesInASmallTableNeverDeferBeyondTheirOwnWindow() {
    DownlinkBackoff b = new DownlinkBackoff(4, 4);
    List<DevAddr> addrs = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      addrs.add(new DevAddr(0x2601_0000 + i));
    }
    int[] deferredInARow = new int[addrs.size()];
    for (long f = 1; f <= 200; f++) {
      for (int i = 0; i < addrs.size(); i++) {
        if (b.defers(addrs.get(i), f)) {
          deferredInARow[i]++;
          assertThat(deferredInARow[i]).isLessThanOrEqualTo(4);
        } else {
          deferredInARow[i] = 0;
          b.refused(addrs.get(i), f);
        }
      }
    }
  }

  @Test
  void zeroDisablesTheBackOff() {
    DownlinkBackoff b = new DownlinkBackoff(65536, 0);
    assertThat(b.enabled()).isFalse();
    assertThat(b.size()).isEqualTo(1);
    assertThat(attemptsWhileRefused(b, A, 1, 10)).hasSize(10);
    assertThat(b.refused(A, 11)).isZero();
  }

  @Test
  void theSizeIsRoundedUpToAPowerOfTwoAndValidated() {
    assertThat(new DownlinkBackoff(1000, 32).size()).isEqualTo(1024);
    assertThat(new DownlinkBackoff(65536, 32).size()).isEqualTo(65536);
    assertThatThrownBy(() -> new DownlinkBackoff(0, 32))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size");
    assertThatThrownBy(() -> new DownlinkBackoff(16, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max");
  }
}
