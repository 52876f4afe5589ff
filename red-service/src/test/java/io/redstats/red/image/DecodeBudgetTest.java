package io.redstats.red.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class DecodeBudgetTest {

  private static final long HOUR = TimeUnit.HOURS.toNanos(1);

  @Test
  void imageLargerThanTheWholeBudgetIsRefusedAt413WithoutWaiting() {
    DecodeBudget budget = new DecodeBudget(100_000_000);

    assertThatThrownBy(() -> budget.reserve(392_000_001, System.nanoTime() + HOUR, "this image"))
        .isInstanceOfSatisfying(
            ImageRejectedException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
              assertThat(e.getMessage())
                  .contains("needs about 393 MB")
                  .contains("decode budget of 100 MB (redstats.red.image.decode-budget)");
            });
    assertThat(budget.available()).isEqualTo(100_000_000);
  }

  @Test
  void imageThatDoesNotFitNextToOthersGets503AfterTheDeadline() {
    DecodeBudget budget = new DecodeBudget(100);
    budget.reserve(60, System.nanoTime() + HOUR, "first");

    assertThatThrownBy(() -> budget.reserve(60, System.nanoTime(), "second"))
        .isInstanceOfSatisfying(
            ImageRejectedException.class,
            e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
    assertThat(budget.available()).isEqualTo(40);
  }

  @Test
  void waitingImageProceedsWhenAnotherGivesItsBytesBack() {
    // Given one reservation holding most of the budget, and a second one waiting for room
    DecodeBudget budget = new DecodeBudget(100);
    DecodeBudget.Reservation first = budget.reserve(60, System.nanoTime() + HOUR, "first");
    AtomicReference<Thread> waiter = new AtomicReference<>();
    CompletableFuture<DecodeBudget.Reservation> second =
        CompletableFuture.supplyAsync(
            () -> {
              waiter.set(Thread.currentThread());
              return budget.reserve(60, System.nanoTime() + HOUR, "second");
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> waiter.get() != null && waiter.get().getState() == Thread.State.TIMED_WAITING);
    assertThat(second).isNotDone();

    // When the first is closed (twice: the second close gives nothing back)
    first.close();
    first.close();

    // Then the second gets its bytes
    DecodeBudget.Reservation granted = second.join();
    assertThat(budget.available()).isEqualTo(40);
    granted.close();
    assertThat(budget.available()).isEqualTo(100);
  }
}
