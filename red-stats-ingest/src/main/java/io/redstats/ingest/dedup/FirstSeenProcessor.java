package io.redstats.ingest.dedup;

import io.redstats.contract.event.ImageConflict;
import io.redstats.contract.event.StatEvent;
import java.time.Duration;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Forwards the first event of each image_id and remembers it with its record timestamp; drops the
 * identical repeats and forwards a conflict for a repeat with other content. A background sweep
 * forgets images older than the retention.
 */
final class FirstSeenProcessor implements Processor<Long, StatEvent, Long, DedupTopology.Decision> {

  private final Duration retention;
  private final DedupListener listener;
  private ProcessorContext<Long, DedupTopology.Decision> context;
  private TimestampedKeyValueStore<Long, StatEvent> store;
  private Long purgeCursor;

  FirstSeenProcessor(Duration retention, DedupListener listener) {
    this.retention = retention;
    this.listener = listener;
  }

  @Override
  public void init(ProcessorContext<Long, DedupTopology.Decision> context) {
    this.context = context;
    this.store = context.getStateStore(DedupTopology.STORE);
    context.schedule(DedupTopology.PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::purge);
  }

  @Override
  public void process(Record<Long, StatEvent> record) {
    if (record.key() == null || record.value() == null) {
      return; // never written by ingest; nothing to deduplicate by
    }
    ValueAndTimestamp<StatEvent> first = store.get(record.key());
    if (first == null) {
      store.put(record.key(), ValueAndTimestamp.make(record.value(), record.timestamp()));
      // keeps the raw record's timestamp: when ingest accepted it
      context.forward(record.withValue(DedupTopology.Decision.first(record.value())));
      return;
    }
    if (first.value().equals(record.value())) {
      listener.duplicate(record.key());
      return;
    }
    listener.conflict(record.key(), first.value(), record.value());
    ImageConflict conflict =
        new ImageConflict(first.value(), record.value(), context.currentSystemTimeMs());
    context.forward(record.withValue(DedupTopology.Decision.conflict(conflict)));
  }

  /** Deletes up to {@link DedupTopology#PURGE_BATCH} expired entries from the cursor on. */
  void purge(long now) {
    long expiredBefore = now - retention.toMillis();
    int examined = 0;
    try (KeyValueIterator<Long, ValueAndTimestamp<StatEvent>> it = store.range(purgeCursor, null)) {
      while (it.hasNext() && examined < DedupTopology.PURGE_BATCH) {
        KeyValue<Long, ValueAndTimestamp<StatEvent>> entry = it.next();
        examined++;
        if (entry.value.timestamp() < expiredBefore) {
          store.delete(entry.key);
        }
        purgeCursor = entry.key;
      }
      if (!it.hasNext()) {
        purgeCursor = null; // wrapped around: start the next sweep from the beginning
      }
    }
  }
}
