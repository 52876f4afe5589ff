package io.redstats.ingest.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of one insert, bounded by row count, by age and by the offset span per Kafka partition
 * (the span bound is what lets a resume re-read enough to repair a partial insert).
 */
final class Batch {

  private final int maxRows;
  private final long maxSpan;
  private final long maxAgeNanos;
  private final List<SinkRow> rows = new ArrayList<>();
  private final Map<Integer, Long> firstOffset = new HashMap<>();
  private long startedNanos = System.nanoTime();

  Batch(SinkProperties properties) {
    this.maxRows = properties.batchRows();
    this.maxSpan = properties.maxOffsetSpan();
    this.maxAgeNanos = properties.batchTime().toNanos();
  }

  /** True when adding this record would break the size or the offset-span bound. */
  boolean wouldOverflow(int partition, long offset) {
    if (rows.size() >= maxRows) {
      return true;
    }
    Long first = firstOffset.get(partition);
    return first != null && offset - first + 1 > maxSpan;
  }

  void add(SinkRow row) {
    if (rows.isEmpty()) {
      startedNanos = System.nanoTime();
    }
    rows.add(row);
    firstOffset.putIfAbsent(row.partition(), row.offset());
  }

  boolean isDue() {
    return !rows.isEmpty()
        && (rows.size() >= maxRows || System.nanoTime() - startedNanos >= maxAgeNanos);
  }

  Duration timeLeft() {
    if (rows.isEmpty()) {
      return Duration.ofNanos(maxAgeNanos);
    }
    return Duration.ofNanos(Math.max(0, maxAgeNanos - (System.nanoTime() - startedNanos)));
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  int size() {
    return rows.size();
  }

  List<SinkRow> rows() {
    return rows;
  }

  void clear() {
    rows.clear();
    firstOffset.clear();
  }
}
