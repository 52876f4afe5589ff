package io.redstats.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.contract.auth.Scopes;
import io.redstats.testsupport.FreePorts;
import io.redstats.testsupport.RealServers;
import io.redstats.testsupport.ServiceProcess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An image posted through one ingest node is known to every other: a second node that owns none,
 * some or all of the ids' partitions refuses a conflicting repeat with 409, asking the owner over
 * HTTP (Kafka Streams interactive queries) when the partition is not its own.
 */
class ConflictAcrossNodesIT extends IngestITSupport {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration STABLE = Duration.ofMinutes(2);
  private static final int IMAGES = 60;
  private static final long TS = 1_763_900_000_123L;

  @Test
  void conflictingRepeatThroughAnotherNodeIs409() throws Exception {
    // Given a second ingest node in the same dedup group (no sink of its own)
    int portB = FreePorts.next();
    RealServers servers = RealServers.shared();
    Map<String, String> properties =
        Map.of(
            "server.port", Integer.toString(portB),
            "redstats.kafka.bootstrap-servers", servers.kafkaBootstrap(),
            "redstats.clickhouse.url", servers.clickhouseJdbcUrl(DATABASE),
            "redstats.security.jwt-secret", SECRET,
            "redstats.dedup.state-dir", Files.createTempDirectory("ingest-b").toString(),
            "redstats.dedup.advertised-host", "127.0.0.1",
            "redstats.sink.enabled", "false");
    try (ServiceProcess nodeB =
        ServiceProcess.start(
            "ingest-b",
            ServiceProcess.packagedJar("red-stats-ingest"),
            properties,
            START_TIMEOUT)) {
      awaitBothRunning(portB);

      // and images posted through this node and stored
      long first = freshImageId();
      List<Long> ids = new ArrayList<>();
      StringBuilder batch = new StringBuilder("[");
      for (int i = 0; i < IMAGES; i++) {
        ids.add(first + i);
        batch.append(i == 0 ? "" : ",").append(event(first + i, "0.5"));
      }
      assertThat(postJson(batch.append(']').toString()).statusCode()).isEqualTo(202);
      long rows =
          ClickHouseRows.await(
              () -> clickHouse().countRange(first, first + IMAGES - 1),
              n -> n == IMAGES,
              Duration.ofMinutes(1));
      assertThat(rows).isEqualTo(IMAGES);

      // When each is posted again with another red through the other node
      List<Integer> statuses = new ArrayList<>();
      for (long id : ids) {
        statuses.add(postTo(portB, event(id, "0.9")).statusCode());
      }

      // Then every one is refused, whichever node owns its partition, by a node still up
      assertThat(statuses).containsOnly(409);
      assertThat(nodeB.running()).as("node B").isTrue();
      assertThat(clickHouse().countRange(first, first + IMAGES - 1)).isEqualTo(IMAGES);
    }
  }

  private static String event(long imageId, String red) {
    return "{\"image_id\":"
        + imageId
        + ",\"client_id\":7,\"timestamp\":"
        + TS
        + ",\"red\":"
        + red
        + "}";
  }

  /** Both nodes' dedup RUNNING, so every partition has an owner that answers. */
  private void awaitBothRunning(int portB) throws InterruptedException {
    long deadline = System.nanoTime() + STABLE.toNanos();
    while (System.nanoTime() < deadline) {
      if (dedupRunning(port) && dedupRunning(portB)) {
        Thread.sleep(2_000); // and still so after a moment: not between two rebalances
        if (dedupRunning(port) && dedupRunning(portB)) {
          return;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the two dedup members did not settle within " + STABLE);
  }

  private static boolean dedupRunning(int port) {
    HttpResponse<String> health = getFrom(port, "/actuator/health/dedup");
    return health.statusCode() == 200 && health.body().contains("\"state\":\"RUNNING\"");
  }

  private static HttpResponse<String> getFrom(int port, String path) {
    return sendTo(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + token(Scopes.ADMIN))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build());
  }

  private static HttpResponse<String> postTo(int port, String body) {
    return sendTo(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats"))
            .header("Authorization", "Bearer " + ingestToken())
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static HttpResponse<String> sendTo(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
