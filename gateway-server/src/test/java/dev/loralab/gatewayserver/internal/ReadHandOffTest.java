package dev.loralab.gatewayserver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** Hand-offs of one read reach the executor together, in order; others at once. */
class ReadHandOffTest {

  final List<Runnable> submitted = new ArrayList<>();
  final Executor recording = submitted::add;
  final List<String> ran = new ArrayList<>();
  final ReadHandOff handOff = new ReadHandOff(recording);

  Runnable task(String name) {
    return () -> ran.add(name);
  }

  void runSubmitted() {
    List<Runnable> tasks = List.copyOf(submitted);
    submitted.clear();
    tasks.forEach(Runnable::run);
  }

  @Test
  void aReadsHandOffsAreOneTaskSubmittedWhenTheReadCompletes() {
    handOff.reading();
    handOff.execute(task("a"));
    handOff.reading();
    handOff.execute(task("b"));
    handOff.execute(task("c"));
    assertThat(submitted).as("nothing before the read completes").isEmpty();
    handOff.readComplete();
    assertThat(submitted).hasSize(1);
    runSubmitted();
    assertThat(ran).containsExactly("a", "b", "c");
    // the next read starts a new batch
    handOff.reading();
    handOff.execute(task("d"));
    handOff.readComplete();
    handOff.readComplete(); // a second completion submits nothing more
    runSubmitted();
    assertThat(ran).containsExactly("a", "b", "c", "d");
  }

  @Test
  void outsideAReadOrFromAnotherThreadTasksGoAtOnce() throws Exception {
    handOff.execute(task("before"));
    assertThat(submitted).hasSize(1);
    handOff.reading();
    // another thread, while the event loop is inside a read
    Thread other = new Thread(() -> handOff.execute(task("other thread")));
    other.start();
    other.join();
    assertThat(submitted).hasSize(2);
    handOff.readComplete();
    assertThat(submitted).hasSize(2);
    runSubmitted();
    assertThat(ran).containsExactly("before", "other thread");
    handOff.execute(task("after"));
    assertThat(submitted).hasSize(1);
  }

  @Test
  void aFailingTaskDoesNotStrandTheRestOfItsBatch() {
    handOff.reading();
    handOff.execute(() -> {
      throw new IllegalStateException("boom");
    });
    handOff.execute(task("next"));
    handOff.readComplete();
    Thread.UncaughtExceptionHandler previous = Thread.currentThread().getUncaughtExceptionHandler();
    List<Throwable> reported = new ArrayList<>();
    Thread.currentThread().setUncaughtExceptionHandler((t, e) -> reported.add(e));
    try {
      runSubmitted();
    } finally {
      Thread.currentThread().setUncaughtExceptionHandler(previous);
    }
    assertThat(ran).containsExactly("next");
    assertThat(reported).extracting(Throwable::getMessage).containsExactly("boom");
  }
}
