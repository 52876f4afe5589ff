package io.redstats.red.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IngestRouteTest {

  private static final URI A = URI.create("http://a:8081");
  private static final URI B = URI.create("http://b:8081");
  private static final long T0 = 1_000_000_000L;
  private static final long SECOND = 1_000_000_000L;

  private IngestRoute route(URI... urls) {
    return new IngestRoute(
        List.of(urls),
        Duration.ofMillis(100),
        Duration.ofSeconds(10),
        Duration.ofMinutes(5),
        new Random(42),
        T0);
  }

  @Test
  void startsWithTheFirstUrl() {
    assertThat(route(A, B).next(T0)).hasValue(0);
  }

  @Test
  void failsOverToTheNextUrlAtOnce() {
    IngestRoute route = route(A, B);

    route.failed(0, T0, null);

    assertThat(route.next(T0)).hasValue(1);
  }

  @Test
  void afterAFailureTheNextUrlGoesFirstEvenWhenTheFailedOnesBackoffIsOver() {
    IngestRoute route = route(A, B);

    route.failed(0, T0, null);

    assertThat(route.next(T0 + 3600 * SECOND)).hasValue(1);
  }

  @Test
  void whenEveryUrlFailsTheyAreTriedInTurn() {
    IngestRoute route = route(A, B);
    route.failed(0, T0, null);
    route.failed(1, T0, null);

    assertThat(route.next(T0 + 3600 * SECOND)).hasValue(0);
  }

  @Test
  void nextDeliveryStartsFromTheLastUrlThatWorked() {
    // Given A failed and B then worked
    IngestRoute route = route(A, B);
    route.failed(0, T0, null);
    route.succeeded(1);

    // When A's backoff is long over
    long later = T0 + 3600 * SECOND;

    // Then B is still tried first
    assertThat(route.next(later)).hasValue(1);
  }

  @Test
  void retryAfterIsWaitedAtLeast() {
    IngestRoute route = route(A);

    route.failed(0, T0, Duration.ofSeconds(3));

    assertThat(route.next(T0 + 3 * SECOND - 1)).isEmpty();
    assertThat(route.nanosUntilNext(T0)).isBetween(3 * SECOND, 3 * SECOND + 3 * SECOND / 10);
    assertThat(route.next(T0 + 4 * SECOND)).hasValue(0);
  }

  @Test
  void retryAfterIsCappedAtTheConfiguredMaximum() {
    IngestRoute route = route(A);

    route.failed(0, T0, Duration.ofDays(1));

    assertThat(route.nanosUntilNext(T0)).isLessThanOrEqualTo(Duration.ofMinutes(6).toNanos());
  }

  @Test
  void backoffDoublesWithJitterUpToTheMaximum() {
    IngestRoute route = route(A);
    for (int failures = 1; failures <= 12; failures++) {
      long step = Math.min(Duration.ofSeconds(10).toNanos(), 100_000_000L << (failures - 1));
      for (int sample = 0; sample < 20; sample++) {
        long wait = route.backoff(failures).toNanos();
        assertThat(wait).isBetween(step / 2, step);
      }
    }
  }

  @Test
  void whenEveryUrlIsParkedItWaitsForTheEarliest() {
    IngestRoute route = route(A, B);
    route.failed(0, T0, Duration.ofSeconds(5));
    route.failed(1, T0, Duration.ofSeconds(2));

    assertThat(route.next(T0)).isEmpty();
    assertThat(route.nanosUntilNext(T0)).isBetween(2 * SECOND, 3 * SECOND);
    assertThat(route.next(T0 + 3 * SECOND)).hasValue(1);
  }
}
