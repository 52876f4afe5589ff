package io.redstats.contract.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The range of timestamps that are plausible for an image RED just received: not before {@code
 * earliest} and not more than {@code maxFutureSkew} ahead of this machine's clock. Anything outside
 * is a bug or a corrupt clock upstream, and is refused rather than stored where no query finds it.
 */
public record TimestampWindow(Instant earliest, Duration maxFutureSkew, Clock clock) {

  /** Before 2000 no RED existed; one day of skew tolerates any sane clock and time zone mistake. */
  public static final Instant DEFAULT_EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofDays(1);

  /** Null when the instant is inside the window, else what is wrong with it. */
  String problemWith(long epochMillis) {
    if (epochMillis < earliest.toEpochMilli()) {
      return "must not be before " + earliest;
    }
    Instant latest = clock.instant().plus(maxFutureSkew);
    if (epochMillis > latest.toEpochMilli()) {
      return "must not be more than " + maxFutureSkew + " in the future";
    }
    return null;
  }
}
