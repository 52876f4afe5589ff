package io.redstats.red.upload;

import java.util.concurrent.TimeUnit;

/** Spaces request starts evenly: at most {@code perSecond} per second over all workers. */
final class RateLimiter {

  private final long intervalNanos;
  private long nextSlot;

  /** {@code perSecond} ≤ 0 means no limit. */
  RateLimiter(double perSecond) {
    this.intervalNanos = perSecond <= 0 ? 0 : (long) (1_000_000_000L / perSecond);
    this.nextSlot = System.nanoTime();
  }

  void acquire() throws InterruptedException {
    if (intervalNanos == 0) {
      return;
    }
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      long slot = Math.max(now, nextSlot);
      nextSlot = slot + intervalNanos;
      wait = slot - now;
    }
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
