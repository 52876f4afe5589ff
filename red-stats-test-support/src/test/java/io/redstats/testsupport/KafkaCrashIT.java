package io.redstats.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealServersExtension.class)
class KafkaCrashIT {

  @Test
  void acknowledgedRecordSurvivesKill9AndRestartOfTheBroker(RealServers servers) throws Exception {
    // Given a record the broker acknowledged (acks=all)
    ServerControl kafka = servers.controlled(Server.KAFKA);
    String topic = "crash-" + UUID.randomUUID();
    KafkaRoundTripIT.KafkaTestClients.produce(servers.kafkaBootstrap(), topic, "image-7", "kept");

    // When the broker is killed without warning and started again
    long before = kafka.pid().orElseThrow();
    kafka.kill9();
    assertThat(kafka.running()).isFalse();
    kafka.start();
    assertThat(kafka.running()).isTrue();
    assertThat(kafka.pid().orElseThrow()).isNotEqualTo(before);

    // Then the record is still there, on the same bootstrap address
    long consuming = System.nanoTime();
    assertThat(KafkaRoundTripIT.KafkaTestClients.consumeAll(servers.kafkaBootstrap(), topic, 1))
        .extracting(ConsumerRecord::value)
        .containsExactly("kept");
    RealServers.log(
        "consumed after restart in " + (System.nanoTime() - consuming) / 1_000_000 + " ms");
  }
}
