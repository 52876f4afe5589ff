package io.redstats.red.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redstats.contract.event.StatEvent;
import io.redstats.red.TestImages;
import io.redstats.red.it.IngestStub;
import io.redstats.red.it.IngestStub.Answer;
import io.redstats.red.it.IngestStub.Received;
import io.redstats.red.it.RedClient;
import io.redstats.red.it.RedTestProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** How RED reacts to each kind of answer from one ingest URL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class IngestAnswersIT {

  private static final IngestStub INGEST = IngestStub.start();
  private static final AtomicInteger SEED = new AtomicInteger(1000);

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    RedTestProperties.register(registry, "red_answers_it", List.of(INGEST.url()));
  }

  @AfterAll
  static void stopStub() {
    INGEST.close();
  }

  @LocalServerPort int port;

  @BeforeEach
  void everythingEarlierIsDelivered() {
    INGEST.otherwise(Answer.accepted());
  }

  @Test
  void unavailableWithRetryAfterIsWaitedOutThenDelivered() {
    // Given ingest answers the first attempt 503 with Retry-After: 2
    int before = INGEST.received().size();
    INGEST.script(Answer.unavailable("2"));
    RedClient client = RedClient.forClient(port, 41);

    // When an image is uploaded
    long id = client.upload(TestImages.uniquePng(SEED.incrementAndGet()), "image/png").imageId();

    // Then RED retries no sooner than 2 s later, and the retry is delivered
    await().atMost(Duration.ofSeconds(15)).until(() -> status(client, id).equals("delivered"));
    List<Received> attempts = INGEST.received().subList(before, INGEST.received().size());
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).answered()).isEqualTo(503);
    long waited = attempts.get(1).atNanos() - attempts.get(0).atNanos();
    assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(client.get(id).json().get("attempts").intValue()).isEqualTo(2);
  }

  @Test
  void badRequestIsFinalAndKeepsTheErrorWhileLaterImagesFlow() {
    // Given ingest refuses the next event as invalid
    INGEST.script(Answer.badRequest("{\"errors\":[{\"field\":\"red\",\"message\":\"bad\"}]}"));
    RedClient client = RedClient.forClient(port, 42);

    // When two images are uploaded
    long refused =
        client.upload(TestImages.uniquePng(SEED.incrementAndGet()), "image/png").imageId();
    await().atMost(Duration.ofSeconds(10)).until(() -> !status(client, refused).equals("pending"));
    long next = client.upload(TestImages.uniquePng(SEED.incrementAndGet()), "image/png").imageId();

    // Then the first is rejected for good with ingest's error, the second delivered
    var first = client.get(refused).json();
    assertThat(first.get("delivery_status").asString()).isEqualTo("rejected");
    assertThat(first.get("last_error").asString())
        .contains("HTTP 400")
        .contains("\"field\":\"red\"");
    await().atMost(Duration.ofSeconds(10)).until(() -> status(client, next).equals("delivered"));
    assertThat(INGEST.acceptedEvents()).noneMatch(e -> e.imageId() == refused);
  }

  @Test
  void backlogIsSentInOrderAsBatches() {
    // Given ingest is unavailable while 30 images are uploaded
    INGEST.otherwise(Answer.unavailable("1"));
    RedClient client = RedClient.forClient(port, 43);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(client.upload(TestImages.uniquePng(SEED.incrementAndGet()), "image/png").imageId());
    }
    int before = INGEST.received().size();

    // When it comes back
    INGEST.otherwise(Answer.accepted());

    // Then every image is delivered once, in order, in fewer requests than images
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(100, TimeUnit.MILLISECONDS)
        .until(() -> status(client, ids.get(ids.size() - 1)).equals("delivered"));
    List<Long> delivered =
        INGEST.acceptedEvents().stream()
            .filter(e -> e.clientId() == 43)
            .map(StatEvent::imageId)
            .toList();
    assertThat(delivered).containsExactlyElementsOf(ids);
    long requests =
        INGEST.received().subList(before, INGEST.received().size()).stream()
            .filter(r -> r.answered() == 202)
            .count();
    assertThat(requests).isLessThan(ids.size());
  }

  private static String status(RedClient client, long id) {
    return client.get(id).json().get("delivery_status").asString();
  }
}
