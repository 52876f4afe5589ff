package io.redstats.api.security;

/**
 * A token bucket: holds up to {@code burst} permits, refilled at {@code perSecond}. Time is passed
 * in (nanoseconds of a monotonic clock) so tests need no sleeping.
 */
final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1e9;

  private final double burst;
  private final double perNano;
  private double permits;
  private long lastNanos;

  TokenBucket(int burst, double perSecond, long nowNanos) {
    this.burst = burst;
    this.perNano = perSecond / NANOS_PER_SECOND;
    this.permits = burst;
    this.lastNanos = nowNanos;
  }

  /**
   * Takes one permit.
   *
   * @return 0 when granted, else the nanoseconds until one permit is available
   */
  synchronized long tryTake(long nowNanos) {
    refill(nowNanos);
    if (permits >= 1) {
      permits -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - permits) / perNano);
  }

  /** Full again: nobody used it for a while, so forgetting it changes nothing. */
  synchronized boolean isFull(long nowNanos) {
    refill(nowNanos);
    return permits >= burst;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      permits = Math.min(burst, permits + elapsed * perNano);
      lastNanos = nowNanos;
    }
  }
}
