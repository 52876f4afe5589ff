package io.redstats.ingest.conflict;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where a reader of {@code GET /conflicts} stopped: the next offset of each partition of the
 * conflicts topic, written {@code 0-15.1-3} (partition-offset, dot separated). A partition it does
 * not name is read from its beginning.
 */
record ConflictCursor(Map<Integer, Long> offsets) {

  static final ConflictCursor START = new ConflictCursor(Map.of());

  ConflictCursor {
    offsets = Map.copyOf(offsets);
  }

  /** The next offset to read of {@code partition}, or -1 for its beginning. */
  long offset(int partition) {
    return offsets.getOrDefault(partition, -1L);
  }

  /**
   * Parses what {@link #toString} wrote.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static ConflictCursor parse(String text) {
    if (text == null || text.isEmpty()) {
      return START;
    }
    Map<Integer, Long> offsets = new TreeMap<>();
    for (String part : text.split("\\.", -1)) {
      int dash = part.indexOf('-');
      if (dash <= 0 || dash == part.length() - 1) {
        throw new IllegalArgumentException(
            "must be the 'next' value of an earlier answer (partition-offset pairs joined by dots)");
      }
      try {
        int partition = Integer.parseInt(part.substring(0, dash));
        long offset = Long.parseLong(part.substring(dash + 1));
        if (partition < 0 || offset < 0) {
          throw new NumberFormatException();
        }
        offsets.put(partition, offset);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "must be the 'next' value of an earlier answer (partition-offset pairs joined by dots)");
      }
    }
    return new ConflictCursor(offsets);
  }

  @Override
  public String toString() {
    return new TreeMap<>(offsets)
        .entrySet().stream()
            .map(e -> e.getKey() + "-" + e.getValue())
            .collect(Collectors.joining("."));
  }
}
