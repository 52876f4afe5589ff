package io.redstats.notifier.index;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Every subscriber of this node, found by what an event may alert: those who see every client's
 * images (admin tokens, or the deployment opened to all) and those who see only one client's.
 * Matching an event walks two {@link ThresholdIndex} heads; its cost is the number of subscribers
 * it alerts, not the number connected. The index knows where each subscriber is filed, so callers
 * move and remove a subscriber without saying where it was.
 */
public final class SubscriptionIndex<S> {

  private final ThresholdIndex<S> everyClient = new ThresholdIndex<>();
  private final ConcurrentHashMap<Long, ThresholdIndex<S>> byClient = new ConcurrentHashMap<>();

  /**
   * Where each subscriber is filed. Each change of one subscriber's place runs inside a compute on
   * its entry, so a threshold change and a removal of the same subscriber (on two container
   * threads) cannot leave it filed twice or not removed.
   */
  private final ConcurrentHashMap<S, Position> positions = new ConcurrentHashMap<>();

  /**
   * @param clientId the only client whose images the subscriber sees, or null for every client
   */
  private record Position(Long clientId, int thresholdUnits) {}

  /**
   * Files a subscriber (again, if it was: then its old place is left).
   *
   * @param clientId the only client whose images the subscriber sees, or null for every client
   */
  public void add(S subscriber, Long clientId, int thresholdUnits) {
    positions.compute(
        subscriber,
        (s, old) -> {
          Position now = new Position(clientId, thresholdUnits);
          file(s, now);
          if (old != null && !old.equals(now)) {
            unfile(s, old);
          }
          return now;
        });
  }

  /**
   * Moves a subscriber to a new threshold: added at the new one before it is removed from the old,
   * so no walk misses it (a walk may see it twice; subscribers dedupe per event). Nothing happens
   * to a subscriber that is not filed.
   */
  public void move(S subscriber, int toUnits) {
    positions.computeIfPresent(
        subscriber,
        (s, at) -> {
          if (at.thresholdUnits() == toUnits) {
            return at;
          }
          Position now = new Position(at.clientId(), toUnits);
          file(s, now);
          unfile(s, at);
          return now;
        });
  }

  /** Removes a subscriber from wherever it is filed. */
  public void remove(S subscriber) {
    positions.computeIfPresent(
        subscriber,
        (s, at) -> {
          unfile(s, at);
          return null;
        });
  }

  private void file(S subscriber, Position at) {
    if (at.clientId() == null) {
      everyClient.add(subscriber, at.thresholdUnits());
      return;
    }
    // Inside compute, so a concurrent unfile cannot drop the per-client index under our feet.
    byClient.compute(
        at.clientId(),
        (k, index) -> {
          ThresholdIndex<S> target = index == null ? new ThresholdIndex<>() : index;
          target.add(subscriber, at.thresholdUnits());
          return target;
        });
  }

  private void unfile(S subscriber, Position at) {
    if (at.clientId() == null) {
      everyClient.remove(subscriber, at.thresholdUnits());
      return;
    }
    byClient.computeIfPresent(
        at.clientId(),
        (k, index) -> {
          index.remove(subscriber, at.thresholdUnits());
          return index.isEmpty() ? null : index;
        });
  }

  /** Every subscriber that may see an image of {@code clientId} with the given red. */
  public void forEachMatching(long clientId, int redUnits, Consumer<S> action) {
    everyClient.forEachMatching(redUnits, action);
    ThresholdIndex<S> own = byClient.get(clientId);
    if (own != null) {
      own.forEachMatching(redUnits, action);
    }
  }
}
