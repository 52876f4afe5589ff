package io.redstats.notifier.feed;

/** Receives every record of the live feed, in order, on the feed's one thread. */
@FunctionalInterface
public interface FeedListener {

  /** Must not block: slow work here delays every subscriber of the node. */
  void onRecord(FeedRecord record);
}
