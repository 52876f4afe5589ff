package io.redstats.notifier.socket;

import io.redstats.notifier.feed.FeedListener;
import io.redstats.notifier.feed.FeedRecord;
import io.redstats.notifier.feed.Memo;
import io.redstats.notifier.index.SubscriptionIndex;

/**
 * Matches each live record against the node's index and queues an alert for every match. The alert
 * text (with its resume token) is built once per record and shared by every match.
 */
final class AlertDispatcher implements FeedListener {

  private final SubscriptionIndex<AlertSession> index;

  AlertDispatcher(SubscriptionIndex<AlertSession> index) {
    this.index = index;
  }

  @Override
  public void onRecord(FeedRecord record) {
    Memo<String> alert =
        new Memo<>(() -> Protocol.alert(record.event(), record.tokenAfter().get().encode()));
    index.forEachMatching(
        record.event().clientId(),
        record.event().redUnits(),
        session -> session.deliverLive(record, alert));
  }
}
