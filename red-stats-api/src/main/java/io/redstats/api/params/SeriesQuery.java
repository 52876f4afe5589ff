package io.redstats.api.params;

/** A validated {@code /stats/series} question: the counts of {@link StatsQuery} per step. */
public record SeriesQuery(StatsQuery range, Step step) {

  /** The epoch-aligned index of the first bucket (it may start before {@code from}). */
  public long firstBucket() {
    return Math.floorDiv(range.fromMs(), step.millis());
  }

  /** The index of the last bucket, the one holding {@code to - 1}. */
  public long lastBucket() {
    return Math.floorDiv(range.toMs() - 1, step.millis());
  }

  public long bucketCount() {
    return lastBucket() - firstBucket() + 1;
  }

  public SeriesQuery forClient(Long client) {
    return new SeriesQuery(range.forClient(client), step);
  }
}
