package io.redstats.ingest.dedup;

import io.redstats.contract.event.ImageConflict;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import java.time.Duration;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Where duplicates are dropped: {@link Topics#RAW} → the first event per image_id → {@link
 * Topics#CANONICAL}. The first event of an image is remembered for {@code retention} (a state store
 * of image_id → first event and the time it arrived); a later event with the same id is a duplicate
 * (same content) or a conflict (different content) and is dropped either way.
 *
 * <p>Both topics are keyed by image_id, so every repeat of an image reaches the same task and the
 * same store; run with {@code processing.guarantee=exactly_once_v2}, the store update and the
 * canonical record commit together.
 *
 * <p>A conflict is never silent: besides the metric, it goes to {@link Topics#CONFLICTS} in the
 * same transaction, where ingest's {@code GET /conflicts} finds it for the producer that lost.
 */
public final class DedupTopology {

  /** The name of the state store (and of its changelog topic suffix). */
  public static final String STORE = "dedup-first-seen";

  /** How often the store is swept for expired images. */
  static final Duration PURGE_INTERVAL = Duration.ofSeconds(10);

  /**
   * Entries examined per sweep: bounded so a sweep over a store of many millions of images never
   * stalls the stream thread past its transaction; the cursor continues where it stopped.
   */
  static final int PURGE_BATCH = 20_000;

  private DedupTopology() {}

  /**
   * What the processor decided about one raw record: the image's first event (to the canonical
   * topic) or a conflict (to the conflicts topic); an identical repeat produces nothing.
   */
  record Decision(StatEvent first, ImageConflict conflict) {
    static Decision first(StatEvent event) {
      return new Decision(event, null);
    }

    static Decision conflict(ImageConflict conflict) {
      return new Decision(null, conflict);
    }
  }

  public static void build(StreamsBuilder builder, Duration retention) {
    build(builder, retention, DedupListener.NONE);
  }

  public static void build(StreamsBuilder builder, Duration retention, DedupListener listener) {
    builder.addStateStore(
        Stores.timestampedKeyValueStoreBuilder(
            Stores.persistentTimestampedKeyValueStore(STORE),
            Topics.RAW.keySerde(),
            Topics.RAW.valueSerde()));
    KStream<Long, Decision> decisions =
        builder.stream(
                Topics.RAW.name(), Consumed.with(Topics.RAW.keySerde(), Topics.RAW.valueSerde()))
            .process(() -> new FirstSeenProcessor(retention, listener), STORE);
    decisions
        .filter((imageId, decision) -> decision.first() != null)
        .mapValues(Decision::first)
        .to(
            Topics.CANONICAL.name(),
            Produced.with(Topics.CANONICAL.keySerde(), Topics.CANONICAL.valueSerde()));
    decisions
        .filter((imageId, decision) -> decision.conflict() != null)
        .mapValues(Decision::conflict)
        .to(
            Topics.CONFLICTS.name(),
            Produced.with(Topics.CONFLICTS.keySerde(), Topics.CONFLICTS.valueSerde()));
  }
}
