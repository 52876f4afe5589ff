package io.redstats.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.contract.auth.Scopes;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import io.redstats.testsupport.RealServers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An image_id is one image: a repeat with other content is refused with 409 naming each differing
 * field when the first is known, and recorded on {@code GET /conflicts} when nobody could see it in
 * time; a producer token with a client_id posts only that client's events.
 */
class ConflictIT extends IngestITSupport {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long TS = 1_763_900_000_123L;
  private static final Duration STORED = Duration.ofSeconds(60);

  private static String event(long imageId, long clientId, long timestamp, String red) {
    return "{\"image_id\":"
        + imageId
        + ",\"client_id\":"
        + clientId
        + ",\"timestamp\":"
        + timestamp
        + ",\"red\":"
        + red
        + "}";
  }

  /** Posts an event and waits until its row is in ClickHouse: the dedup holds it by then. */
  private void stored(long imageId, String event) {
    assertThat(postJson(event).statusCode()).isEqualTo(202);
    long rows = ClickHouseRows.await(() -> clickHouse().countImage(imageId), n -> n == 1, STORED);
    assertThat(rows).isEqualTo(1);
  }

  @Test
  void repeatWithOtherRedIs409NamingRedAndNothingIsStored() {
    // Given an image the dedup already holds
    long id = freshImageId();
    stored(id, event(id, 7, TS, "0.85"));

    // When the same image_id comes with another red
    HttpResponse<String> response = postJson(event(id, 7, TS, "0.10"));

    // Then it is refused naming red alone, and the raw topic got nothing of it
    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(response.body())
        .contains("\"field\":\"red\"")
        .doesNotContain("\"field\":\"client_id\"")
        .doesNotContain("\"field\":\"timestamp\"")
        .doesNotContain("0.85");
    assertThat(kafka().countKeys(Topics.RAW.name(), Set.of(id))).isEqualTo(1);
    assertThat(clickHouse().redOf(id)).isEqualTo(85_000);
  }

  @Test
  void repeatForAnotherClientIs409NamingEachDifferingField() {
    long id = freshImageId();
    stored(id, event(id, 7, TS, "0.85"));

    HttpResponse<String> response = postJson(event(id, 704, TS + 1, "0.85"));

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(response.body())
        .contains("\"field\":\"client_id\"")
        .contains("\"field\":\"timestamp\"")
        .doesNotContain("\"field\":\"red\"");
    assertThat(clickHouse().row(id)).containsEntry("client_id", 7L);
  }

  @Test
  void identicalRepeatIsARetryAnsweredWith202AndCountedOnce() {
    long id = freshImageId();
    String event = event(id, 7, TS, "0.85");
    stored(id, event);

    HttpResponse<String> retry = postJson(event);

    assertThat(retry.statusCode()).isEqualTo(202);
    assertThat(kafka().countKeys(Topics.RAW.name(), Set.of(id))).isEqualTo(2);
    assertThat(clickHouse().countImage(id)).isEqualTo(1);
  }

  @Test
  void conflictWithinOneRequestIs409WithTheItemsIndex() {
    long id = freshImageId();

    HttpResponse<String> response =
        postJson("[" + event(id, 7, TS, "0.85") + "," + event(id, 7, TS, "0.25") + "]");

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(response.body()).contains("{\"index\":1,\"field\":\"red\"");
    assertThat(kafka().countKeys(Topics.RAW.name(), Set.of(id))).isZero();
  }

  @Test
  void conflictNobodyCouldRefuseIsListedForTheProducerThatLost() throws Exception {
    // Given two producers whose events with one image_id reached Kafka at the same instant
    long id = freshImageId();
    try (KafkaProducer<Long, StatEvent> producer = rawProducer()) {
      producer.send(new ProducerRecord<>(Topics.RAW.name(), id, new StatEvent(id, 7, TS, 85_000)));
      producer.send(
          new ProducerRecord<>(Topics.RAW.name(), id, new StatEvent(id, 704, TS, 10_000)));
      producer.flush();
    }

    // When the producer of client 704 asks for its conflicts
    String client704 = MINTER.mint("it", 704L, List.of(Scopes.INGEST), Duration.ofMinutes(5));
    JsonNode conflict = awaitConflict(id, client704);

    // Then it learns that its event was refused and which one was kept
    assertThat(conflict.get("kept").get("client_id").asLong()).isEqualTo(7);
    assertThat(conflict.get("refused").get("client_id").asLong()).isEqualTo(704);
    assertThat(conflict.get("refused").get("red").decimalValue()).isEqualByComparingTo("0.1");
    assertThat(conflict.get("detected_at").asLong()).isPositive();
    // and a client that lost nothing does not see it
    String client8 = MINTER.mint("it", 8L, List.of(Scopes.INGEST), Duration.ofMinutes(5));
    assertThat(conflictsFor(id, client8)).isEmpty();
    assertThat(clickHouse().row(id)).containsEntry("client_id", 7L);
  }

  @Test
  void readingOnFromTheNextCursorDoesNotRepeatAConflict() throws Exception {
    long id = freshImageId();
    try (KafkaProducer<Long, StatEvent> producer = rawProducer()) {
      producer.send(new ProducerRecord<>(Topics.RAW.name(), id, new StatEvent(id, 7, TS, 1)));
      producer.send(new ProducerRecord<>(Topics.RAW.name(), id, new StatEvent(id, 7, TS, 2)));
      producer.flush();
    }
    awaitConflict(id, ingestToken());

    // When a reader pages to the end and asks again from there
    String next = "";
    JsonNode page;
    do {
      page = conflictsPage(next, ingestToken());
      next = page.get("next").asString();
    } while (!page.get("conflicts").isEmpty());

    // Then the last page is empty and the same cursor stays empty
    assertThat(conflictsPage(next, ingestToken()).get("conflicts")).isEmpty();
  }

  @Test
  void badCursorIs400NamingAfter() {
    HttpResponse<String> response = get("/conflicts?after=nonsense", ingestToken());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("\"field\":\"after\"");
  }

  @Test
  void conflictsWantScopeIngestOrAdmin() {
    assertThat(get("/conflicts", token(Scopes.QUERY)).statusCode()).isEqualTo(403);
    assertThat(get("/conflicts", token(Scopes.ADMIN)).statusCode()).isEqualTo(200);
  }

  @Test
  void producerTokenWithClientIdPostsOnlyItsClientsEvents() {
    String client7 = MINTER.mint("it", 7L, List.of(Scopes.INGEST), Duration.ofMinutes(5));
    long other = freshImageId();
    long own = freshImageId();

    HttpResponse<String> refused = post("application/json", event(other, 8, TS, "0.5"), client7);
    HttpResponse<String> accepted = post("application/json", event(own, 7, TS, "0.5"), client7);

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("\"field\":\"client_id\"").contains("client 7");
    assertThat(accepted.statusCode()).isEqualTo(202);
    assertThat(kafka().countKeys(Topics.RAW.name(), Set.of(other))).isZero();
  }

  private static KafkaProducer<Long, StatEvent> rawProducer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            RealServers.shared().kafkaBootstrap(),
            ProducerConfig.ACKS_CONFIG,
            "all"),
        Topics.RAW.keySerde().serializer(),
        Topics.RAW.valueSerde().serializer());
  }

  private JsonNode awaitConflict(long id, String token) throws InterruptedException {
    long deadline = System.nanoTime() + STORED.toNanos();
    while (System.nanoTime() < deadline) {
      List<JsonNode> found = conflictsFor(id, token);
      if (!found.isEmpty()) {
        assertThat(found).hasSize(1);
        return found.get(0);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no conflict for image " + id + " within " + STORED);
  }

  /** Every conflict about image {@code id} that {@code token} may see, from the oldest on. */
  private List<JsonNode> conflictsFor(long id, String token) {
    List<JsonNode> found = new java.util.ArrayList<>();
    String next = "";
    JsonNode page;
    do {
      page = conflictsPage(next, token);
      for (JsonNode conflict : page.get("conflicts")) {
        if (conflict.get("image_id").asLong() == id) {
          found.add(conflict);
        }
      }
      next = page.get("next").asString();
    } while (!page.get("conflicts").isEmpty());
    return found;
  }

  private JsonNode conflictsPage(String after, String token) {
    HttpResponse<String> response = get("/conflicts?limit=1000&after=" + after, token);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
