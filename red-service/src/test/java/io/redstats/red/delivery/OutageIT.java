package io.redstats.red.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redstats.contract.event.StatEvent;
import io.redstats.red.TestImages;
import io.redstats.red.it.IngestStub;
import io.redstats.red.it.RedClient;
import io.redstats.red.it.RedTestProperties;
import io.redstats.testsupport.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Ingest is down (nothing listens) while images are accepted; when it is up, all arrive. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class OutageIT {

  /** Enough uploads for the backlog to span several batches of the configured size. */
  private static final int UPLOADS = 500;

  private static final int INGEST_PORT = FreePorts.next();
  private static IngestStub ingest;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    RedTestProperties.register(
        registry, "red_outage_it", List.of("http://127.0.0.1:" + INGEST_PORT));
    registry.add("redstats.red.delivery.batch-size", () -> "100");
  }

  @AfterAll
  static void stopStub() {
    if (ingest != null) {
      ingest.close();
    }
  }

  @LocalServerPort int port;

  @Autowired JdbcClient jdbc;

  @Test
  void imagesAcceptedWhileIngestIsDownAreAllDeliveredOnceInOrder() {
    // Given ingest is down while images are uploaded
    RedClient client = RedClient.forClient(port, 61);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < UPLOADS; i++) {
      RedClient.Reply reply = client.upload(TestImages.uniquePng(i), "image/png");
      assertThat(reply.status()).isEqualTo(201);
      ids.add(reply.imageId());
    }
    assertThat(pending()).isEqualTo(UPLOADS);
    assertThat(attemptedRows()).isPositive();

    // When ingest comes up
    ingest = IngestStub.startOn(INGEST_PORT);

    // Then every image arrives exactly once, in the order RED accepted them
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(200, TimeUnit.MILLISECONDS)
        .until(() -> pending() == 0);
    assertThat(ingest.acceptedEvents())
        .extracting(StatEvent::imageId)
        .containsExactlyElementsOf(ids);
    assertThat(
            jdbc.sql("SELECT count(*) FROM images WHERE delivery_status = 'delivered'")
                .query(Long.class)
                .single())
        .isEqualTo(UPLOADS);
  }

  private long pending() {
    return jdbc.sql("SELECT count(*) FROM images WHERE delivery_status = 'pending'")
        .query(Long.class)
        .single();
  }

  private long attemptedRows() {
    return jdbc.sql("SELECT count(*) FROM images WHERE attempts > 0 AND last_error IS NOT NULL")
        .query(Long.class)
        .single();
  }
}
