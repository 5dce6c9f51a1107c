package dev.loralab.gatewayserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Counting, pausing beyond the bound, resuming at half, never leaking a place. */
class PendingDatagramsTest {

  final List<Boolean> autoRead = new ArrayList<>();
  int pauses;

  PendingDatagrams pending(int max) {
    return new PendingDatagrams(max, autoRead::add, () -> pauses++);
  }

  static Runnable nothing() {
    return () -> { };
  }

  @Test
  void pausesBeyondTheBoundAndResumesAtHalf() {
    PendingDatagrams p = pending(4);
    List<Abandonable> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add(p.track(nothing()));
    }
    assertThat(p.paused()).as("at the bound: still reading").isFalse();
    held.add(p.track(nothing()));
    assertThat(p.pending()).isEqualTo(5);
    assertThat(p.paused()).isTrue();
    assertThat(autoRead).containsExactly(false);
    held.add(p.track(nothing())); // the rest of the read: counted, no second pause
    assertThat(autoRead).containsExactly(false);
    assertThat(pauses).isEqualTo(1);
    held.get(0).run();
    held.get(1).run();
    held.get(2).run();
    assertThat(p.pending()).isEqualTo(3);
    assertThat(p.paused()).as("above half the bound").isTrue();
    held.get(3).run();
    assertThat(p.pending()).isEqualTo(2);
    assertThat(p.paused()).isFalse();
    assertThat(autoRead).containsExactly(false, true);
    held.get(4).run();
    held.get(5).run();
    assertThat(p.pending()).isZero();
    assertThat(autoRead).containsExactly(false, true);
  }

  @Test
  void aTaskThatThrowsOrIsAbandonedGivesItsPlaceBackOnce() {
    PendingDatagrams p = pending(1);
    Abandonable throwing = p.track(() -> {
      throw new IllegalStateException("task failed");
    });
    Abandonable abandoned = p.track(nothing());
    assertThat(p.paused()).isTrue();
    assertThatThrownBy(throwing::run).isInstanceOf(IllegalStateException.class);
    assertThat(p.pending()).isEqualTo(1);
    abandoned.abandoned();
    assertThat(p.pending()).isZero();
    assertThat(p.paused()).isFalse();
    // neither a second run nor an abandon after the run counts again
    throwing.abandoned();
    abandoned.abandoned();
    assertThat(p.pending()).isZero();
    Abandonable error = p.track(() -> {
      throw new AssertionError("an Error, too");
    });
    assertThatThrownBy(error::run).isInstanceOf(AssertionError.class);
    assertThat(p.pending()).isZero();
  }

  @Test
  void theLastTaskFinishingWhileReadingIsBeingPausedCannotLeaveItPaused() {
    List<Abandonable> held = new ArrayList<>();
    // the tasks handed off before finish while reading is being switched off
    PendingDatagrams p = new PendingDatagrams(2, on -> {
      autoRead.add(on);
      if (!on) {
        held.forEach(Runnable::run);
      }
    }, () -> pauses++);
    held.add(p.track(nothing()));
    held.add(p.track(nothing()));
    Abandonable third = p.track(nothing()); // pauses; the other two finish meanwhile
    assertThat(p.pending()).isEqualTo(1);
    assertThat(p.paused()).isFalse();
    assertThat(autoRead).containsExactly(false, true);
    assertThat(pauses).isEqualTo(1);
    third.run();
    assertThat(p.pending()).isZero();
    assertThat(autoRead).containsExactly(false, true);
  }

  @Test
  void rejectsANonPositiveBound() {
    assertThatThrownBy(() -> pending(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found 0");
  }

  @Test
  void aSerialExecutorRefusedByItsExecutorAbandonsItsQueueAndStartsAgain() {
    PendingDatagrams p = pending(100);
    boolean[] refuse = {true};
    List<Runnable> submitted = new ArrayList<>();
    Executor executor = task -> {
      if (refuse[0]) {
        throw new RejectedExecutionException("shut down");
      }
      submitted.add(task);
    };
    SerialExecutor serial = new SerialExecutor(executor);
    List<String> ran = new ArrayList<>();
    assertThatThrownBy(() -> serial.execute(p.track(() -> ran.add("a"))))
        .isInstanceOf(RejectedExecutionException.class);
    assertThat(p.pending()).isZero();
    refuse[0] = false;
    serial.execute(p.track(() -> ran.add("b")));
    assertThat(submitted).as("a new drain").hasSize(1);
    submitted.forEach(Runnable::run);
    assertThat(ran).containsExactly("b");
    assertThat(p.pending()).isZero();
  }

  @Test
  void aReadBatchRefusedByTheExecutorAbandonsEveryTaskOfItsSerialExecutors() {
    PendingDatagrams p = pending(100);
    Executor refusing = task -> {
      throw new RejectedExecutionException("full");
    };
    ReadHandOff handOff = new ReadHandOff(refusing);
    SerialExecutor one = new SerialExecutor(handOff);
    SerialExecutor two = new SerialExecutor(handOff);
    handOff.reading();
    one.execute(p.track(nothing()));
    one.execute(p.track(nothing()));
    two.execute(p.track(nothing()));
    assertThat(p.pending()).isEqualTo(3);
    assertThatThrownBy(handOff::readComplete).isInstanceOf(RejectedExecutionException.class);
    assertThat(p.pending()).isZero();
    // a single hand-off of a read, refused, too
    handOff.reading();
    one.execute(p.track(nothing()));
    assertThatThrownBy(handOff::readComplete).isInstanceOf(RejectedExecutionException.class);
    assertThat(p.pending()).isZero();
  }

  /** Any order of hand-offs and completions: back at zero, reading on, pauses matching. */
  @Property(tries = 200)
  void everyInterleavingEndsAtZeroWithReadingOn(@ForAll @IntRange(min = 1, max = 8) int max,
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 3) Integer> steps) {
    List<Boolean> switches = new ArrayList<>();
    PendingDatagrams p = new PendingDatagrams(max, switches::add, () -> { });
    List<Abandonable> held = new ArrayList<>();
    for (int step : steps) {
      if (step <= 1 || held.isEmpty()) {
        held.add(p.track(nothing()));
      } else if (step == 2) {
        held.remove(0).run();
      } else {
        held.remove(held.size() - 1).abandoned();
      }
      assertThat(p.pending()).isEqualTo(held.size());
      assertThat(p.paused()).isEqualTo(!switches.isEmpty() && !switches.get(switches.size() - 1));
      if (held.size() > max) {
        assertThat(p.paused()).isTrue();
      }
      if (held.size() <= max / 2) {
        assertThat(p.paused()).isFalse();
      }
    }
    held.forEach(Runnable::run);
    assertThat(p.pending()).isZero();
    assertThat(p.paused()).isFalse();
  }
}
