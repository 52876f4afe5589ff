package io.redstats.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void grantsTheBurstThenAsksToWaitForTheNextPermit() {
    // Given a bucket of 3 refilled at 2 per second
    TokenBucket bucket = new TokenBucket(3, 2.0, 0);

    // When 4 requests arrive at once
    // Then 3 pass and the 4th must wait half a second
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isEqualTo(SECOND / 2);

    // And after that half second one more passes
    assertThat(bucket.tryTake(SECOND / 2)).isZero();
  }

  @Test
  void limiterKeepsOneBudgetPerSubject() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(new RateLimitProperties(1.0, 1), now::get);

    assertThat(limiter.acquire("client-1")).isNull();
    assertThat(limiter.acquire("client-1")).isEqualTo(Duration.ofSeconds(1));
    assertThat(limiter.acquire("client-2")).isNull();

    now.addAndGet(SECOND);
    assertThat(limiter.acquire("client-1")).isNull();
  }

  @Test
  void limiterForgetsIdleSubjectsWhenItTracksTooMany() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(new RateLimitProperties(1000.0, 1), now::get);
    for (int i = 0; i <= RateLimiter.MAX_TRACKED_SUBJECTS; i++) {
      limiter.acquire("subject-" + i);
    }
    now.addAndGet(SECOND);

    limiter.acquire("one-more");

    assertThat(limiter.trackedSubjects()).isEqualTo(1);
  }
}
