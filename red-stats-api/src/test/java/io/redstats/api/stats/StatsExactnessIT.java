package io.redstats.api.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.api.ApiTestSupport;
import io.redstats.api.params.Step;
import io.redstats.contract.event.Red;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Promise 5, property style: whatever the events (random times, late arrivals, random clients, red
 * at and around the threshold) and whatever the question, the API answers exactly what counting the
 * events one by one gives.
 */
class StatsExactnessIT extends ApiTestSupport {

  /** This class's rows live in March 2024; no other IT writes there. */
  private static final long BASE = Instant.parse("2024-03-10T00:00:00Z").toEpochMilli();

  private static final long SPAN = 3 * 86_400_000L;
  private static final long HOUR = 3_600_000L;
  private static final long MINUTE = 60_000L;

  /** Clients 101..105 belong to this class. */
  private static final long FIRST_CLIENT = 101;

  private static final int CLIENTS = 5;

  private static final List<String> EDGE_REDS =
      List.of(
          "0.85",
          "0.850001",
          "0.84999",
          "0.850004",
          "0.850005",
          "0.85001",
          "0",
          "1",
          "0.00001",
          "0.99999",
          "0.5",
          "0.009995",
          "0.01");

  private final long seed = System.nanoTime();
  private final Random random = new Random(seed);
  private final List<Event> inserted = new ArrayList<>();

  @Test
  void countsAndSeriesEqualABruteForceCountIncludingLateEvents() {
    // Given random events, inserted in shuffled blocks (each block holds past timestamps)
    List<Event> events = randomEvents(4_000);
    List<Event> onTime = events.subList(0, 3_200);
    List<Event> late = events.subList(3_200, events.size());
    insertInBlocks(onTime, 6);

    // When many random questions are asked, then each answer is exact
    checkRandomQuestions(60);

    // Given late events, older than most already stored
    late.sort((a, b) -> Long.compare(a.timestampMs(), b.timestampMs()));
    insertInBlocks(late, 2);

    // Then the answers include them at once
    checkRandomQuestions(60);
    checkRandomSeries(6);
  }

  private List<Event> randomEvents(int count) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(
          new Event(
              1_000_000L + i,
              FIRST_CLIENT + random.nextInt(CLIENTS),
              randomEventTime(),
              Red.toUnits(new BigDecimal(randomRed()))));
    }
    Collections.shuffle(events, random);
    return events;
  }

  /** Mostly uniform, with many right on and beside minute and hour boundaries. */
  private long randomEventTime() {
    long t = BASE + (long) (random.nextDouble() * SPAN);
    return switch (random.nextInt(10)) {
      case 0 -> t - t % HOUR + random.nextInt(3) - 1;
      case 1 -> t - t % MINUTE + random.nextInt(3) - 1;
      default -> t;
    };
  }

  private String randomRed() {
    if (random.nextInt(10) < 4) {
      return EDGE_REDS.get(random.nextInt(EDGE_REDS.size()));
    }
    return BigDecimal.valueOf(random.nextInt(10_000_001), 7).toPlainString();
  }

  private void insertInBlocks(List<Event> events, int blocks) {
    int size = (events.size() + blocks - 1) / blocks;
    for (int from = 0; from < events.size(); from += size) {
      List<Event> block = events.subList(from, Math.min(events.size(), from + size));
      insert(block);
      inserted.addAll(block);
    }
  }

  private void checkRandomQuestions(int questions) {
    for (int i = 0; i < questions; i++) {
      // every fourth under a minute: no whole minute inside, so the plan is raw rows only
      long[] range = i % 4 == 0 ? randomShortRange() : randomRange();
      String red = randomRed();
      Long client = random.nextInt(3) == 0 ? null : FIRST_CLIENT + random.nextInt(CLIENTS);
      String query =
          "/stats?from=" + range[0] + "&to=" + range[1] + "&red=" + red + clientParam(client);

      Answer answer = get(query, adminToken());

      long[] expected = bruteForce(range[0], range[1], red, client);
      assertThat(answer.status()).as("seed %d %s", seed, query).isEqualTo(200);
      assertThat(
              new long[] {
                answer.body().get("images").asLong(), answer.body().get("above").asLong()
              })
          .as("seed %d %s", seed, query)
          .containsExactly(expected);
    }
  }

  private void checkRandomSeries(int questions) {
    for (int i = 0; i < questions; i++) {
      Step step = Step.values()[random.nextInt(Step.values().length)];
      long[] range = randomRange();
      String red = randomRed();
      Long client = random.nextBoolean() ? null : FIRST_CLIENT + random.nextInt(CLIENTS);
      String query =
          "/stats/series?from="
              + range[0]
              + "&to="
              + range[1]
              + "&step="
              + step.label()
              + "&red="
              + red
              + clientParam(client);

      Answer answer = get(query, adminToken());

      assertThat(answer.status()).as("seed %d %s", seed, query).isEqualTo(200);
      JsonNode buckets = answer.body().get("buckets");
      long first = Math.floorDiv(range[0], step.millis());
      long last = Math.floorDiv(range[1] - 1, step.millis());
      assertThat(buckets.size()).as("seed %d %s", seed, query).isEqualTo(last - first + 1);
      for (int b = 0; b < buckets.size(); b++) {
        long start = (first + b) * step.millis();
        long[] expected =
            bruteForce(
                Math.max(range[0], start), Math.min(range[1], start + step.millis()), red, client);
        JsonNode bucket = buckets.get(b);
        assertThat(
                new long[] {
                  bucket.get("start").asLong(),
                  bucket.get("images").asLong(),
                  bucket.get("above").asLong()
                })
            .as("seed %d %s bucket %d", seed, query, b)
            .containsExactly(start, expected[0], expected[1]);
      }
    }
  }

  /** Ends uniform, on boundaries, or on (or right after) a stored event's timestamp. */
  private long[] randomRange() {
    long from = randomBound();
    long to = randomBound();
    if (from == to) {
      to = from + 1;
    }
    return new long[] {Math.min(from, to), Math.max(from, to)};
  }

  /** Shorter than a minute, so answered by the raw table alone (one plain count). */
  private long[] randomShortRange() {
    long from = randomBound();
    return new long[] {from, from + 1 + random.nextInt((int) MINUTE - 1)};
  }

  private long randomBound() {
    long t = BASE - HOUR + (long) (random.nextDouble() * (SPAN + 2 * HOUR));
    return switch (random.nextInt(5)) {
      case 0 -> t - t % HOUR;
      case 1 -> t - t % MINUTE;
      case 2 -> inserted.get(random.nextInt(inserted.size())).timestampMs() + random.nextInt(2);
      default -> t;
    };
  }

  private long[] bruteForce(long from, long to, String red, Long client) {
    int threshold = Red.toUnits(new BigDecimal(red));
    long images = 0;
    long above = 0;
    for (Event e : inserted) {
      if (e.timestampMs() < from || e.timestampMs() >= to) {
        continue;
      }
      if (client != null && e.clientId() != client) {
        continue;
      }
      images++;
      if (Red.isAbove(e.redUnits(), threshold)) {
        above++;
      }
    }
    return new long[] {images, above};
  }

  private static String clientParam(Long client) {
    return client == null ? "" : "&client_id=" + client;
  }
}
