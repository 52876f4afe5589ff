package io.redstats.notifier.socket;

import io.redstats.notifier.feed.FeedRecord;
import io.redstats.notifier.feed.ResumeToken;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The live side of a resumed stream: holds its live alerts back (bounded like the send queue) while
 * its replay runs, and keeps the client's tokens from going back where the token it resumed with
 * was ahead of this node. Replayed and live records never overlap, because the replay stops at the
 * position where the session joined the live feed.
 */
final class ReplayGate {

  /** What {@link #hold} did with a live alert. */
  enum Hold {
    /** No replay runs: send it now. */
    PASS,
    /** Held until the replay is done. */
    HELD,
    /** Too many held: the session falls behind. */
    FULL
  }

  private final int capacity;

  /** Guarded by this. */
  private boolean replaying;

  /** Guarded by this. */
  private final ArrayDeque<SendQueue.Outbound> held = new ArrayDeque<>();

  /**
   * Live feed thread only (set while it was held still at the join): partitions where the client's
   * token is ahead of this node, and its position there.
   */
  private Map<Integer, Long> floorAhead = Map.of();

  ReplayGate(int capacity) {
    this.capacity = capacity;
  }

  /** Closes the gate; called while the live feed is held still at {@code joinedAt}. */
  void start(ResumeToken joinedAt, ResumeToken resume) {
    synchronized (this) {
      replaying = true;
    }
    Map<Integer, Long> ahead = new HashMap<>();
    resume
        .positions()
        .forEach(
            (partition, offset) -> {
              if (offset > joinedAt.positionOf(partition)) {
                ahead.put(partition, offset);
              }
            });
    floorAhead = ahead;
  }

  /**
   * The alert for a matching live record, or null when the client received it already (on the node
   * its token came from). Live feed thread only.
   */
  String alert(FeedRecord record, Supplier<String> sharedAlert) {
    if (floorAhead.isEmpty()) {
      return sharedAlert.get();
    }
    Long floor = floorAhead.get(record.partition());
    if (floor != null && record.offset() < floor) {
      return null;
    }
    return Protocol.alert(record.event(), withFloor(record.tokenAfter().get()).encode());
  }

  /**
   * The client's token may be ahead of this node in some partitions; its tokens never go back, or a
   * later resume would replay what it already has.
   */
  private ResumeToken withFloor(ResumeToken live) {
    Map<Integer, Long> merged = new HashMap<>(live.positions());
    boolean caughtUp = true;
    for (Map.Entry<Integer, Long> floor : floorAhead.entrySet()) {
      if (live.positionOf(floor.getKey()) < floor.getValue()) {
        caughtUp = false;
        merged.put(floor.getKey(), floor.getValue());
      }
    }
    if (caughtUp) {
      floorAhead = Map.of(); // the live feed has passed the client's token everywhere
    }
    return ResumeToken.of(merged);
  }

  /** Holds a live alert back while the replay runs. */
  synchronized Hold hold(SendQueue.Outbound alert) {
    if (!replaying) {
      return Hold.PASS;
    }
    if (held.size() >= capacity) {
      return Hold.FULL;
    }
    held.add(alert);
    return Hold.HELD;
  }

  /**
   * The replay is done: moves what was held into {@code queue}, under the lock {@link #hold} takes,
   * so a live alert that passes from now on is queued after them.
   *
   * @return false when the queue had no room for all of them
   */
  synchronized boolean open(SendQueue queue) {
    replaying = false;
    boolean fits = queue.offerAll(held);
    held.clear();
    return fits;
  }

  /** Drops what is held (the session closes). */
  synchronized void clear() {
    held.clear();
  }
}
