package io.redstats.notifier.feed;

/** What one replay reports, on a replay thread, in this order: records, then one outcome. */
public interface ReplayListener {

  /** A record the client has not covered yet, in offset order per partition. May block. */
  void onReplayed(FeedRecord record);

  /** Every record up to the join position was handed on. */
  void onReplayDone();

  /** Some records the token names were deleted by retention: they cannot be replayed. */
  void onTokenTooOld();

  /** The token names positions the topic never had (another topic, or a recreated one). */
  void onTokenInvalid();

  /** Kafka did not answer for too long; the client should come back with its token. */
  void onReplayFailed(Exception cause);

  /** True once the client is gone: the replay stops early. */
  boolean cancelled();
}
