package io.redstats.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.contract.auth.Scopes;
import io.redstats.contract.auth.TokenMinter;
import io.redstats.testsupport.FreePorts;
import io.redstats.testsupport.Markers;
import io.redstats.testsupport.RealServers;
import io.redstats.testsupport.ServiceProcess;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Promise 1 and 2 against a crash: the whole ingest process (endpoint, dedup, sink) is killed with
 * SIGKILL in the middle of a 100 000-event load and started again; the clients retry what was not
 * acknowledged. ClickHouse ends with every event exactly once.
 */
class IngestCrashIT {

  private static final String SECRET = "crash-test-secret-that-is-32-bytes-or-more";

  /** Not created beforehand: the service creates it, as on a fresh ClickHouse. */
  private static final String DATABASE = "ingest_crash_it_" + System.currentTimeMillis();

  private static final int EVENTS = 100_000;

  /** Partitions of the topics (the default of {@code redstats.kafka.partitions}). */
  private static final int PARTITIONS = 6;

  private static final int BATCH = 1_000;

  /** Kill when about a third of the load is acknowledged: mid-load for all three stages. */
  private static final int KILL_AFTER_BATCHES = 30;

  /** A JVM start takes 20 s on a quiet 2-core box and over two minutes when it is shared. */
  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

  @Test
  void killMinus9MidLoadLosesNothingAndDuplicatesNothing() throws Exception {
    // Given an ingest process of its own (own port, database and state directory)
    RealServers servers = RealServers.shared();
    int port = FreePorts.next();
    Map<String, String> properties =
        Map.of(
            "server.port", Integer.toString(port),
            "redstats.kafka.bootstrap-servers", servers.kafkaBootstrap(),
            "redstats.clickhouse.url", urlOf(servers, DATABASE),
            "redstats.security.jwt-secret", SECRET,
            "redstats.dedup.state-dir", Files.createTempDirectory("ingest-crash").toString(),
            "redstats.dedup.session-timeout", "6s");
    AtomicReference<ServiceProcess> ingest =
        new AtomicReference<>(
            ServiceProcess.start(
                "ingest",
                ServiceProcess.packagedJar("red-stats-ingest"),
                properties,
                START_TIMEOUT));
    try {
      long first = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
      String token =
          new TokenMinter(SECRET).mint("crash", null, List.of(Scopes.INGEST), Duration.ofHours(1));
      Load load = new Load(() -> port, token, first, EVENTS, BATCH);

      // When it is killed -9 a third of the way through the load and started again
      CompletableFuture<Void> crash =
          CompletableFuture.runAsync(
              () -> {
                while (load.acknowledgedBatches.get() < KILL_AFTER_BATCHES) {
                  Thread.onSpinWait();
                }
                ingest.get().kill9();
                ingest.set(ingest.get().restart());
              });
      load.run(4, Duration.ofMinutes(10)); // two JVM starts on a shared box may take minutes
      crash.get();

      // Then every event is in ClickHouse exactly once
      ClickHouseRows rows = new ClickHouseRows(urlOf(servers, DATABASE));
      long last = first + EVENTS - 1;
      long stored =
          ClickHouseRows.await(
              () -> rows.countRange(first, last), n -> n >= EVENTS, Duration.ofSeconds(90));
      // A wrongly repeated row would be behind its first copy in its partition: once a marker
      // posted now is visible in every partition, it would be visible too.
      List<Long> markers =
          Markers.awaitBehindEverything(
              PARTITIONS,
              () -> ThreadLocalRandom.current().nextLong(Long.MAX_VALUE / 2, Long.MAX_VALUE),
              id -> assertThat(load.post(marker(id))).as("marker").isEqualTo(202),
              id -> partitionOf(rows.row(id)),
              Duration.ofSeconds(90));
      assertThat(markers).isNotEmpty();
      assertThat(load.failedConnections.get()).as("requests hit by the crash").isPositive();
      assertThat(rows.countRange(first, last)).as("rows (stored %d)", stored).isEqualTo(EVENTS);
      assertThat(rows.distinctInRange(first, last)).isEqualTo(EVENTS);
    } finally {
      ingest.get().close();
    }
  }

  /** The JDBC URL of a database nobody created yet. */
  private static String urlOf(RealServers servers, String database) {
    return servers.clickhouseJdbcUrl("default").replace("/default?", "/" + database + "?");
  }

  private static String marker(long imageId) {
    return "{\"image_id\":" + imageId + ",\"client_id\":1,\"timestamp\":1763900000123,\"red\":0}";
  }

  private static OptionalInt partitionOf(Map<String, Long> row) {
    Long partition = row.get("kafka_partition");
    return partition == null ? OptionalInt.empty() : OptionalInt.of(partition.intValue());
  }
}
