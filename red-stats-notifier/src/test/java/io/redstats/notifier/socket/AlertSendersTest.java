package io.redstats.notifier.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AlertSendersTest {

  @Test
  void everyDrainRunsOnAtMostTheConfiguredLoops() throws InterruptedException {
    // No watchdog in this test: on a starved box a loop can wait for a core longer than a stall
    // check, and the watchdog then rightly starts a third loop.
    try (AlertSenders senders = new AlertSenders(2, Duration.ofHours(1))) {
      int drains = 10_000;
      CountDownLatch done = new CountDownLatch(drains);
      AtomicInteger concurrent = new AtomicInteger();
      AtomicInteger mostConcurrent = new AtomicInteger();

      for (int i = 0; i < drains; i++) {
        senders.execute(
            () -> {
              mostConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
              concurrent.decrementAndGet();
              done.countDown();
            });
      }

      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(mostConcurrent.get()).isBetween(1, 2);
    }
  }

  @Test
  void aSmallBurstIsLeftToTheRunningLoopAndALargeOneWakesMore() throws InterruptedException {
    // No watchdog: it would start loops for drains that wait behind the held one.
    try (AlertSenders senders = new AlertSenders(8, Duration.ofHours(1))) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch running = new CountDownLatch(1);
      int small = AlertSenders.DRAINS_PER_LOOP;
      CountDownLatch smallDone = new CountDownLatch(small);
      senders.execute(
          () -> {
            running.countDown();
            await(release);
          });
      assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < small; i++) {
        senders.execute(smallDone::countDown);
      }

      assertThat(smallDone.await(300, TimeUnit.MILLISECONDS))
          .as("no second loop for a backlog one loop clears quickly")
          .isFalse();
      release.countDown();
      assertThat(smallDone.await(10, TimeUnit.SECONDS)).isTrue();

      CountDownLatch hold = new CountDownLatch(1);
      CountDownLatch held = new CountDownLatch(1);
      senders.execute(
          () -> {
            held.countDown();
            await(hold);
          });
      assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
      CountDownLatch largeDone = new CountDownLatch(10 * AlertSenders.DRAINS_PER_LOOP);
      for (long i = largeDone.getCount(); i > 0; i--) {
        senders.execute(largeDone::countDown);
      }
      assertThat(largeDone.await(10, TimeUnit.SECONDS))
          .as("a large backlog wakes more loops while one is held")
          .isTrue();
      hold.countDown();
    }
  }

  @Test
  void drainsGoOnWhileEveryLoopIsBlockedOnASlowClient() throws InterruptedException {
    try (AlertSenders senders = new AlertSenders(1)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch blocked = new CountDownLatch(1);
      senders.execute(
          () -> {
            blocked.countDown();
            await(release); // a write to a client that does not read
          });
      assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();

      CountDownLatch other = new CountDownLatch(1);
      senders.execute(other::countDown);

      assertThat(other.await(2, TimeUnit.SECONDS)).isTrue();
      release.countDown();
    }
  }

  @Test
  void aDrainQueuedWhileTheLoopsEndStillRuns() throws InterruptedException {
    // No watchdog to rescue a drain that no loop took: it would never run.
    try (AlertSenders senders = new AlertSenders(1, Duration.ofHours(1))) {
      for (int round = 0; round < 2_000; round++) {
        CountDownLatch done = new CountDownLatch(2);
        senders.execute(done::countDown);
        senders.execute(done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
