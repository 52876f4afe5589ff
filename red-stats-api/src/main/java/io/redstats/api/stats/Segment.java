package io.redstats.api.stats;

/** The part {@code [fromMs, toMs)} of a range that one level answers; both ends on its grid. */
record Segment(Level level, long fromMs, long toMs) {

  /** The first whole unit of the level (minute or hour number since the epoch; ms for raw). */
  long fromUnit() {
    return fromMs / level.millis();
  }

  /** One past the last whole unit. */
  long toUnit() {
    return toMs / level.millis();
  }
}
