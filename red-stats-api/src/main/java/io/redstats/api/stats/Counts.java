package io.redstats.api.stats;

/** Images in a range, and how many of them had red above the threshold. */
record Counts(long images, long above) {
  static final Counts ZERO = new Counts(0, 0);
}
