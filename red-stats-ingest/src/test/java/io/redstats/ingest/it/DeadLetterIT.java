package io.redstats.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.contract.event.Topics;
import io.redstats.testsupport.RealServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.junit.jupiter.api.Test;

/** The sink's error policy for a record it cannot read: dead-letter topic, and carry on. */
class DeadLetterIT extends IngestITSupport {

  @Test
  void unreadableCanonicalRecordGoesToTheDeadLetterTopicAndTheSinkCarriesOn() throws Exception {
    // Given a corrupt record on the canonical topic
    long corrupt = freshImageId();
    Map<String, Object> config =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServers.shared().kafkaBootstrap());
    try (KafkaProducer<Long, byte[]> producer =
        new KafkaProducer<>(config, new LongSerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.CANONICAL.name(),
                  corrupt,
                  "{not an event".getBytes(StandardCharsets.UTF_8)))
          .get();
    }

    // When a good event follows
    long good = freshImageId();
    assertThat(postJson(anEvent(good)).statusCode()).isEqualTo(202);

    // Then the good one is stored, the corrupt one is not, and it waits in the dead-letter topic
    ClickHouseRows rows = clickHouse();
    assertThat(
            ClickHouseRows.await(() -> rows.countImage(good), n -> n == 1, Duration.ofSeconds(30)))
        .isEqualTo(1);
    assertThat(rows.countImage(corrupt)).isZero();
    long deadLetters =
        ClickHouseRows.await(
            () -> kafka().countKeys(Topics.DLQ.name(), Set.of(corrupt)),
            n -> n >= 1,
            Duration.ofSeconds(30));
    assertThat(deadLetters).isEqualTo(1);
  }
}
