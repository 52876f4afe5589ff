package io.redstats.api.stats;

/**
 * Where a stretch of time is counted: a rollup of whole hours, a rollup of whole minutes, or the
 * raw events (any millisecond). Coarser levels read far fewer rows; all give the same counts.
 */
enum Level {
  HOUR(3_600_000L),
  MINUTE(60_000L),
  RAW(1L);

  private final long millis;

  Level(long millis) {
    this.millis = millis;
  }

  long millis() {
    return millis;
  }
}
