package io.redstats.api.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** One {@link TokenBucket} per token subject, kept in memory (per api node). */
public final class RateLimiter {

  /**
   * Past this many subjects the idle (full) buckets are dropped, so a flood of distinct tokens
   * cannot grow the map without bound; a dropped bucket would have been full anyway.
   */
  static final int MAX_TRACKED_SUBJECTS = 10_000;

  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final RateLimitProperties properties;
  private final LongSupplier nanoClock;

  public RateLimiter(RateLimitProperties properties, LongSupplier nanoClock) {
    this.properties = properties;
    this.nanoClock = nanoClock;
  }

  /**
   * @return null when the request may go ahead, else how long the subject should wait
   */
  public Duration acquire(String subject) {
    long now = nanoClock.getAsLong();
    if (buckets.size() > MAX_TRACKED_SUBJECTS) {
      buckets.values().removeIf(b -> b.isFull(now));
    }
    TokenBucket bucket =
        buckets.computeIfAbsent(
            subject, s -> new TokenBucket(properties.burst(), properties.perSecond(), now));
    long waitNanos = bucket.tryTake(now);
    return waitNanos == 0 ? null : Duration.ofNanos(waitNanos);
  }

  int trackedSubjects() {
    return buckets.size();
  }
}
