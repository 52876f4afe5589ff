package io.redstats.red.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * Which ingest URL to try next, and when: failover in turn starting from the last URL that worked,
 * and per URL an exponential backoff with jitter, or the server's own Retry-After.
 *
 * <p>The cursor names the URL tried first: after a success it stays on that URL, so the next
 * delivery starts there; after a failure it moves on to the next URL in turn, so a URL that just
 * failed is not retried before the others had their chance, whatever its backoff.
 *
 * <p>Times are {@link System#nanoTime()} values passed in by the caller, so the policy is tested
 * without sleeping. Not thread-safe: the one dispatcher thread owns it.
 */
final class IngestRoute {

  /**
   * Jitter added on top of a Retry-After: up to a tenth more, so RED nodes told the same time do
   * not all come back in the same millisecond — and never less than the server asked for.
   */
  private static final double RETRY_AFTER_JITTER = 0.1;

  private final List<URI> urls;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxRetryAfter;
  private final RandomGenerator random;
  private final long[] notBefore;
  private final int[] failures;
  private int cursor;

  IngestRoute(
      List<URI> urls,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration maxRetryAfter,
      RandomGenerator random,
      long now) {
    this.urls = List.copyOf(urls);
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.maxRetryAfter = maxRetryAfter;
    this.random = random;
    this.notBefore = new long[urls.size()];
    this.failures = new int[urls.size()];
    Arrays.fill(notBefore, now);
  }

  URI url(int index) {
    return urls.get(index);
  }

  /** The first URL, from the cursor on, that may be tried at {@code now}; else empty. */
  OptionalInt next(long now) {
    for (int k = 0; k < urls.size(); k++) {
      int i = (cursor + k) % urls.size();
      if (notBefore[i] - now <= 0) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  /** Nanoseconds until some URL may be tried again (0 when one may be tried now). */
  long nanosUntilNext(long now) {
    long wait = Long.MAX_VALUE;
    for (long at : notBefore) {
      wait = Math.min(wait, Math.max(0, at - now));
    }
    return wait;
  }

  void succeeded(int index) {
    failures[index] = 0;
    cursor = index;
  }

  /** Parks URL {@code index} for the server's Retry-After, else for its backoff. */
  void failed(int index, long now, Duration retryAfter) {
    failures[index]++;
    cursor = (index + 1) % urls.size();
    Duration wait = retryAfter != null ? jittered(retryAfter) : backoff(failures[index]);
    notBefore[index] = now + wait.toNanos();
  }

  /** "Equal jitter": half the exponential step fixed, half random, capped at maxBackoff. */
  Duration backoff(int failureCount) {
    int doublings = Math.min(failureCount - 1, 30);
    long step = Math.min(maxBackoff.toNanos(), initialBackoff.toNanos() << doublings);
    if (step <= 0) {
      step = maxBackoff.toNanos();
    }
    long half = step / 2;
    return Duration.ofNanos(half + (half == 0 ? 0 : random.nextLong(half + 1)));
  }

  private Duration jittered(Duration retryAfter) {
    Duration capped = retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter;
    long extra = (long) (capped.toNanos() * RETRY_AFTER_JITTER * random.nextDouble());
    return capped.plusNanos(extra);
  }
}
