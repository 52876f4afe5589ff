package io.redstats.notifier.index;

import io.redstats.contract.event.Red;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * Subscribers ordered by their threshold (units of {@link Red#SCALE}). An event with red {@code r}
 * alerts exactly those with a threshold strictly below {@code r} ({@link Red#isAbove}), so finding
 * them is a walk over the head of the map: no scan of non-matching subscribers, no database.
 *
 * <p>Safe for one walking thread and many threads adding, moving and removing concurrently.
 */
public final class ThresholdIndex<S> {

  private final ConcurrentSkipListMap<Integer, Set<S>> byThreshold = new ConcurrentSkipListMap<>();

  public void add(S subscriber, int thresholdUnits) {
    // Inside compute, so a concurrent remove cannot drop the set we are adding to.
    byThreshold.compute(
        thresholdUnits,
        (k, set) -> {
          Set<S> target = set == null ? ConcurrentHashMap.newKeySet() : set;
          target.add(subscriber);
          return target;
        });
  }

  public void remove(S subscriber, int thresholdUnits) {
    byThreshold.computeIfPresent(
        thresholdUnits,
        (k, set) -> {
          set.remove(subscriber);
          return set.isEmpty() ? null : set;
        });
  }

  /**
   * Moves a subscriber to a new threshold. It is added before it is removed, so a concurrent walk
   * may see it twice (callers dedupe per event) but never misses it.
   */
  public void move(S subscriber, int fromUnits, int toUnits) {
    if (fromUnits == toUnits) {
      return;
    }
    add(subscriber, toUnits);
    remove(subscriber, fromUnits);
  }

  /**
   * Calls {@code action} for every subscriber whose threshold is strictly below {@code redUnits}.
   */
  public void forEachMatching(int redUnits, Consumer<S> action) {
    for (Set<S> set : byThreshold.headMap(redUnits, false).values()) {
      set.forEach(action);
    }
  }

  public boolean isEmpty() {
    return byThreshold.isEmpty();
  }
}
