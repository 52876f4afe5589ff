package io.redstats.red.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redstats.contract.event.StatEvent;
import io.redstats.red.TestImages;
import io.redstats.red.it.IngestStub;
import io.redstats.red.it.RedClient;
import io.redstats.testsupport.FreePorts;
import io.redstats.testsupport.RealServers;
import io.redstats.testsupport.ServiceProcess;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RED as its own JVM, killed with SIGKILL: every image it answered 201 for is still delivered, once
 * per image as far as RED_STATS can tell (a batch in flight at the kill may be sent again; ingest's
 * dedup by image_id counts it once), in the order RED accepted them.
 */
class RedKillIT {

  private static final int UPLOADS = 60;

  /** Small batches so the backlog takes several requests, and a kill lands between them. */
  private static final int BATCH = 5;

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private final int port = FreePorts.next();
  private final int ingestPort = FreePorts.next();
  private final String jdbcUrl = RealServers.shared().postgresJdbcUrl("red_kill_it");
  private ServiceProcess red;
  private IngestStub ingest;

  @AfterEach
  void stopEverything() {
    if (red != null) {
      red.close();
    }
    if (ingest != null) {
      ingest.close();
    }
  }

  @Test
  void acceptedImagesSurviveKillNineBeforeAndDuringDelivery() throws Exception {
    // Given RED accepted images while ingest was down, and was then killed
    red =
        ServiceProcess.start(
            "red-service", ServiceProcess.packagedJar("red-service"), properties(), START_TIMEOUT);
    RedClient client = RedClient.forClient(port, 81);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < UPLOADS; i++) {
      RedClient.Reply reply = client.upload(TestImages.uniquePng(5000 + i), "image/png");
      assertThat(reply.status()).isEqualTo(201);
      ids.add(reply.imageId());
    }
    red.kill9();

    // When ingest comes up (slowly) and RED restarts, and is killed again mid-delivery
    ingest = IngestStub.startOn(ingestPort);
    ingest.delay(Duration.ofMillis(150));
    red = red.restart();
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(20, TimeUnit.MILLISECONDS)
        .until(() -> ingest.received().size() >= 3);
    red.kill9();
    int deliveredBeforeSecondKill = ingest.acceptedEvents().size();
    ingest.delay(Duration.ZERO);
    red = red.restart();

    // Then every image is delivered, first deliveries in acceptance order
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(200, TimeUnit.MILLISECONDS)
        .until(() -> undelivered() == 0);
    List<Long> received = ingest.acceptedEvents().stream().map(StatEvent::imageId).toList();
    Set<Long> firstDeliveries = new LinkedHashSet<>(received);
    assertThat(firstDeliveries).containsExactlyElementsOf(ids);
    assertThat(deliveredBeforeSecondKill).isLessThan(UPLOADS);

    // And repeats are only the one batch that was in flight when RED died
    Map<Long, Integer> counts = new HashMap<>();
    received.forEach(id -> counts.merge(id, 1, Integer::sum));
    assertThat(counts.values()).allMatch(n -> n <= 2);
    assertThat(received.size() - firstDeliveries.size()).isLessThanOrEqualTo(BATCH);
  }

  private Map<String, String> properties() {
    RealServers servers = RealServers.shared();
    Map<String, String> p = new HashMap<>();
    p.put("server.port", Integer.toString(port));
    p.put("spring.datasource.url", jdbcUrl);
    p.put("spring.datasource.username", servers.postgresUser());
    p.put("spring.datasource.password", servers.postgresPassword());
    p.put("redstats.security.jwt-secret", RedClient.SECRET);
    p.put("redstats.red.ingest-urls", "http://127.0.0.1:" + ingestPort);
    p.put("redstats.red.delivery.batch-size", Integer.toString(BATCH));
    p.put("redstats.red.delivery.initial-backoff", "50ms");
    p.put("redstats.red.delivery.max-backoff", "300ms");
    p.put("redstats.red.delivery.idle-poll", "100ms");
    return p;
  }

  private long undelivered() throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                jdbcUrl,
                RealServers.shared().postgresUser(),
                RealServers.shared().postgresPassword());
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT count(*) FROM red.images WHERE delivery_status <> 'delivered'")) {
      row.next();
      return row.getLong(1);
    }
  }
}
