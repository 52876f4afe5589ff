package io.redstats.api.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code [from, to)} into the fewest rows to read: the whole hours inside go to the hour
 * rollups, the whole minutes left at either edge to the minute rollup, the partial minutes at the
 * very edges to the raw table. The pieces are disjoint and cover the range exactly, so their sum is
 * the count a full scan of the raw table would give.
 */
final class RangePlan {

  private RangePlan() {}

  /**
   * @param levels the levels allowed, coarsest first; {@link Level#RAW} is always used last
   */
  static List<Segment> plan(long fromMs, long toMs, List<Level> levels) {
    List<Segment> segments = new ArrayList<>();
    split(fromMs, toMs, levels, 0, segments);
    return segments;
  }

  private static void split(
      long fromMs, long toMs, List<Level> levels, int index, List<Segment> out) {
    if (fromMs >= toMs) {
      return;
    }
    if (index >= levels.size() || levels.get(index) == Level.RAW) {
      out.add(new Segment(Level.RAW, fromMs, toMs));
      return;
    }
    long unit = levels.get(index).millis();
    long alignedFrom = Math.floorDiv(fromMs + unit - 1, unit) * unit;
    long alignedTo = Math.floorDiv(toMs, unit) * unit;
    if (alignedFrom >= alignedTo) {
      split(fromMs, toMs, levels, index + 1, out);
      return;
    }
    split(fromMs, alignedFrom, levels, index + 1, out);
    out.add(new Segment(levels.get(index), alignedFrom, alignedTo));
    split(alignedTo, toMs, levels, index + 1, out);
  }
}
