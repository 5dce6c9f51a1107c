package dev.loralab.networkserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loralab.networkserver.internal.KeyedSerialExecutorAsyncTest.StepExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The permits of uplinks in flight, and the lane steps holding them: a permit is given back
 * exactly once however its task ends, including when the lane drops the task because the
 * executor refused it.
 */
class InFlightUplinksTest {

  @Test
  void permitsAreBoundedAndReleasedOnce() {
    InFlightUplinks inFlight = new InFlightUplinks(2);
    InFlightUplinks.Permit a = inFlight.tryAcquire();
    InFlightUplinks.Permit b = inFlight.tryAcquire();
    assertThat(a).isNotNull();
    assertThat(b).isNotNull();
    assertThat(inFlight.tryAcquire()).isNull();
    assertThat(inFlight.count()).isEqualTo(2);
    a.release();
    a.release();
    assertThat(inFlight.count()).isEqualTo(1);
    assertThat(inFlight.tryAcquire()).isNotNull();
    assertThat(inFlight.count()).isEqualTo(2);
  }

  @Test
  void aSharedPermitKeepsTheUplinkInFlightUntilEveryClaimIsReleased() {
    InFlightUplinks inFlight = new InFlightUplinks(4);
    InFlightUplinks.Permit first = inFlight.tryAcquire();
    InFlightUplinks.Permit second = first.share();
    first.release();
    first.release();
    assertThat(inFlight.count()).isEqualTo(1);
    second.release();
    assertThat(inFlight.count()).isZero();
    second.release();
    assertThat(inFlight.count()).isZero();
    assertThatThrownBy(first::share).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theBoundIsValidated() {
    assertThatThrownBy(() -> new InFlightUplinks(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 0");
  }

  /** How a tracked task ends. */
  enum Ending { DONE, THROWS, THEN_DONE, THEN_THROWS, STAGE_FAILS, REJECTED, RESUME_REJECTED }

  /**
   * One tracked task per ending in one lane (each queued behind the previous): the permits are
   * all given back once every task ended, and the lane has retired.
   */
  @Property(tries = 200)
  void everyEndingOfATrackedTaskReleasesItsPermit(
      @ForAll List<Ending> endings, @ForAll @IntRange(min = 0, max = 2) int inlineNesting) {
    StepExecutor executor = new StepExecutor();
    KeyedSerialExecutor serial = new KeyedSerialExecutor(executor, inlineNesting);
    InFlightUplinks inFlight = new InFlightUplinks(Math.max(1, endings.size()));
    List<CompletableFuture<Void>> stages = new ArrayList<>();
    for (Ending e : endings) {
      InFlightUplinks.Permit p = inFlight.tryAcquire();
      assertThat(p).isNotNull();
      CompletableFuture<Void> stage = new CompletableFuture<>();
      stages.add(stage);
      KeyedSerialExecutor.Step step = switch (e) {
        case DONE, REJECTED -> () -> null;
        case THROWS -> () -> {
          throw new IllegalStateException("bug");
        };
        case THEN_DONE, RESUME_REJECTED -> () -> stage.thenApply(v -> () -> null);
        case THEN_THROWS -> () -> stage.thenApply(v -> () -> {
          throw new IllegalStateException("bug");
        });
        case STAGE_FAILS -> () -> stage.thenApply(v -> {
          throw new IllegalStateException("write failed");
        });
      };
      executor.reject = e == Ending.REJECTED;
      serial.executeAsyncInlineIfIdle("k", inFlight.track(p, step));
      executor.reject = false;
    }
    // run the lane, completing each stage when it is waited for
    for (int round = 0; round < 4 * endings.size() + 2; round++) {
      executor.runAll();
      for (int i = 0; i < stages.size(); i++) {
        if (!stages.get(i).isDone()) {
          executor.reject = endings.get(i) == Ending.RESUME_REJECTED;
          stages.get(i).complete(null);
          executor.reject = false;
          break;
        }
      }
    }
    executor.runAll();
    assertThat(inFlight.count()).isZero();
    assertThat(serial.laneCount()).isZero();
  }

  @Test
  void theLaneTellsEveryQueuedTaskItDropsWhenTheExecutorRefuses() {
    StepExecutor executor = new StepExecutor();
    KeyedSerialExecutor serial = new KeyedSerialExecutor(executor, 0);
    CompletableFuture<Void> write = new CompletableFuture<>();
    List<String> abandoned = new ArrayList<>();
    serial.executeAsync("k", new KeyedSerialExecutor.Step() {
      @Override
      public java.util.concurrent.CompletionStage<? extends KeyedSerialExecutor.Step> run() {
        return write.thenApply(v -> new KeyedSerialExecutor.Step() {
          @Override
          public java.util.concurrent.CompletionStage<? extends KeyedSerialExecutor.Step> run() {
            abandoned.add("continuation ran");
            return null;
          }

          @Override
          public void abandoned() {
            abandoned.add("continuation");
          }
        });
      }
    });
    executor.runAll();
    for (String name : List.of("second", "third")) {
      serial.executeAsync("k", new KeyedSerialExecutor.Step() {
        @Override
        public java.util.concurrent.CompletionStage<? extends KeyedSerialExecutor.Step> run() {
          abandoned.add(name + " ran");
          return null;
        }

        @Override
        public void abandoned() {
          abandoned.add(name);
        }
      });
    }
    executor.reject = true;
    write.complete(null);
    assertThat(abandoned).containsExactly("continuation", "second", "third");
    assertThat(serial.laneCount()).isZero();
  }
}
