package io.redstats.red.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redstats.red.TestImages;
import io.redstats.red.it.DeadIngest;
import io.redstats.red.it.IngestStub;
import io.redstats.red.it.RedClient;
import io.redstats.red.it.RedTestProperties;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Two ingest URLs, the first one dead: RED fails over, and stays with the one that works. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class FailoverIT {

  private static final DeadIngest DEAD = new DeadIngest();
  private static final IngestStub LIVE = IngestStub.start();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    RedTestProperties.register(registry, "red_failover_it", List.of(DEAD.url(), LIVE.url()));
    // long enough that the dead URL's backoff is over before the second upload
    registry.add("redstats.red.delivery.max-backoff", () -> "100ms");
    // the dead URL counts every connection: only the dispatcher's here
    registry.add("redstats.red.conflicts.enabled", () -> "false");
  }

  @AfterAll
  static void stopStubs() throws Exception {
    DEAD.close();
    LIVE.close();
  }

  @LocalServerPort int port;

  @Test
  void deadUrlIsFailedOverAndTheNextDeliveryStartsFromTheLiveOne() throws Exception {
    // Given the first URL is dead
    RedClient client = RedClient.forClient(port, 51);

    // When an image is uploaded
    long first = client.upload(TestImages.uniquePng(1), "image/png").imageId();

    // Then it is tried at the dead URL once, then delivered by the live one
    await().atMost(Duration.ofSeconds(10)).until(() -> delivered(client, first));
    assertThat(DEAD.connections()).isEqualTo(1);
    assertThat(LIVE.acceptedEvents()).extracting(e -> e.imageId()).containsExactly(first);

    // When, well after the dead URL's backoff, another image is uploaded
    Thread.sleep(500);
    long second = client.upload(TestImages.uniquePng(2), "image/png").imageId();

    // Then it goes straight to the live URL: the dead one sees no new attempt
    await().atMost(Duration.ofSeconds(10)).until(() -> delivered(client, second));
    assertThat(DEAD.connections()).isEqualTo(1);
    assertThat(LIVE.acceptedEvents()).extracting(e -> e.imageId()).containsExactly(first, second);
    assertThat(client.get(second).json().get("attempts").intValue()).isEqualTo(1);
  }

  private static boolean delivered(RedClient client, long id) {
    return client.get(id).json().get("delivery_status").asString().equals("delivered");
  }
}
