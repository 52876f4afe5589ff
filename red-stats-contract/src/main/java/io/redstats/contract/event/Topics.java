package io.redstats.contract.event;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Every Kafka topic of RED_STATS with its serdes. Producers and consumers use these, never a string
 * literal. Both topics are keyed by image_id, so every repeat of an image lands in one partition
 * and the dedup store for it lives in one task.
 */
public final class Topics {

  /** What ingest acknowledged, repeats included. */
  public static final Topic RAW =
      new Topic("redstats.events.raw", Serdes.Long(), EventSerde.INSTANCE);

  /** One record per image, written by the dedup topology with exactly-once semantics. */
  public static final Topic CANONICAL =
      new Topic("redstats.events.canonical", Serdes.Long(), EventSerde.INSTANCE);

  /**
   * Repeats of an image_id with other content that the dedup dropped, keyed by image_id ({@link
   * ImageConflict}): never silent, so the producer that lost can learn it (ingest's {@code GET
   * /conflicts}).
   */
  public static final ConflictTopic CONFLICTS =
      new ConflictTopic("redstats.events.conflicts", Serdes.Long(), ConflictSerde.INSTANCE);

  /**
   * Records a consumer could not read (corrupt bytes), kept as they were, with the key, so nothing
   * is dropped silently and someone can look at them.
   */
  public static final DeadLetterTopic DLQ = new DeadLetterTopic("redstats.events.dlq");

  private Topics() {}

  /** A topic of raw bytes: key and value exactly as they were on the topic they came from. */
  public record DeadLetterTopic(String name) {
    public Serde<byte[]> keySerde() {
      return Serdes.ByteArray();
    }

    public Serde<byte[]> valueSerde() {
      return Serdes.ByteArray();
    }
  }

  /** A topic name with the serdes of its key (image_id) and value (the event). */
  public record Topic(String name, Serde<Long> keySerde, Serde<StatEvent> valueSerde) {}

  /** A topic of conflicts, keyed by image_id. */
  public record ConflictTopic(String name, Serde<Long> keySerde, Serde<ImageConflict> valueSerde) {}

  /** The JSON serde of {@link ImageConflict}. */
  public static final class ConflictSerde implements Serde<ImageConflict> {
    public static final ConflictSerde INSTANCE = new ConflictSerde();

    @Override
    public Serializer<ImageConflict> serializer() {
      return (topic, conflict) ->
          conflict == null ? null : conflict.toJson().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public Deserializer<ImageConflict> deserializer() {
      return (topic, bytes) -> bytes == null ? null : ImageConflict.fromBytes(bytes);
    }
  }

  /** The JSON serde of {@link StatEvent}, in the form {@link EventJson} writes. */
  public static final class EventSerde implements Serde<StatEvent> {
    public static final EventSerde INSTANCE = new EventSerde();

    @Override
    public Serializer<StatEvent> serializer() {
      return (topic, event) -> event == null ? null : EventJson.toBytes(event);
    }

    @Override
    public Deserializer<StatEvent> deserializer() {
      return (topic, bytes) -> bytes == null ? null : EventJson.fromBytes(bytes);
    }
  }
}
