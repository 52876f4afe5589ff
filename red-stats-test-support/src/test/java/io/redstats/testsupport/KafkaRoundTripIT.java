package io.redstats.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealServersExtension.class)
class KafkaRoundTripIT {

  @Test
  void recordProducedWithAcksAllIsConsumedBack(RealServers servers) throws Exception {
    // Given
    String topic = "round-trip-" + UUID.randomUUID();

    // When
    KafkaTestClients.produce(servers.kafkaBootstrap(), topic, "image-1", "red=0.85");

    // Then
    List<ConsumerRecord<String, String>> records =
        KafkaTestClients.consumeAll(servers.kafkaBootstrap(), topic, 1);
    assertThat(records).extracting(ConsumerRecord::key).containsExactly("image-1");
    assertThat(records).extracting(ConsumerRecord::value).containsExactly("red=0.85");
  }

  /** Plain clients, as the services use them. */
  static final class KafkaTestClients {
    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(60);

    private KafkaTestClients() {}

    static void produce(String bootstrap, String topic, String key, String value) throws Exception {
      Properties config = new Properties();
      config.putAll(
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
              ProducerConfig.ACKS_CONFIG, "all",
              ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
              ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000"));
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
      }
    }

    static List<ConsumerRecord<String, String>> consumeAll(
        String bootstrap, String topic, int expected) {
      Properties config = new Properties();
      config.putAll(
          Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
              bootstrap,
              ConsumerConfig.GROUP_ID_CONFIG,
              "test-" + UUID.randomUUID(),
              ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
              "earliest",
              ConsumerConfig.ISOLATION_LEVEL_CONFIG,
              "read_committed"));
      List<ConsumerRecord<String, String>> received = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of(topic));
        long deadline = System.nanoTime() + RECEIVE_TIMEOUT.toNanos();
        while (received.size() < expected && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(500)).forEach(received::add);
        }
      }
      return received;
    }
  }
}
