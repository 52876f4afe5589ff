package io.redstats.ingest.sink;

import java.util.Map;
import java.util.Set;

/**
 * Where each partition resumes, read from ClickHouse: the sink seeks to {@code seekTo} and skips
 * the offsets in {@code stored} (at or below {@code maxStored}), so rows a partially applied insert
 * did write are not written twice and the ones it did not write are.
 */
record ResumePoint(
    Map<Integer, Long> seekTo, Map<Integer, Long> maxStored, Map<Integer, Set<Long>> stored) {

  boolean alreadyStored(int partition, long offset) {
    Long max = maxStored.get(partition);
    if (max == null || offset > max) {
      return false;
    }
    return stored.getOrDefault(partition, Set.of()).contains(offset);
  }
}
