package io.redstats.notifier.index;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Every subscriber of this node, found by what an event may alert: those who see every client's
 * images (admin tokens, or the deployment opened to all) and those who see only one client's.
 * Matching an event walks two {@link ThresholdIndex} heads; its cost is the number of subscribers
 * it alerts, not the number connected.
 */
public final class SubscriptionIndex<S> {

  private final ThresholdIndex<S> everyClient = new ThresholdIndex<>();
  private final ConcurrentHashMap<Long, ThresholdIndex<S>> byClient = new ConcurrentHashMap<>();

  /**
   * @param clientId the only client whose images the subscriber sees, or null for every client
   */
  public void add(S subscriber, Long clientId, int thresholdUnits) {
    if (clientId == null) {
      everyClient.add(subscriber, thresholdUnits);
      return;
    }
    // Inside compute, so a concurrent remove cannot drop the per-client index under our feet.
    byClient.compute(
        clientId,
        (k, index) -> {
          ThresholdIndex<S> target = index == null ? new ThresholdIndex<>() : index;
          target.add(subscriber, thresholdUnits);
          return target;
        });
  }

  public void remove(S subscriber, Long clientId, int thresholdUnits) {
    if (clientId == null) {
      everyClient.remove(subscriber, thresholdUnits);
      return;
    }
    byClient.computeIfPresent(
        clientId,
        (k, index) -> {
          index.remove(subscriber, thresholdUnits);
          return index.isEmpty() ? null : index;
        });
  }

  /** Adds at the new threshold before removing the old one, so no walk misses the subscriber. */
  public void move(S subscriber, Long clientId, int fromUnits, int toUnits) {
    if (fromUnits == toUnits) {
      return;
    }
    add(subscriber, clientId, toUnits);
    remove(subscriber, clientId, fromUnits);
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
