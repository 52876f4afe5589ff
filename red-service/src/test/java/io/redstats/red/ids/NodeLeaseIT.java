package io.redstats.red.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redstats.testsupport.RealServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Node numbers leased from RED's real PostgreSQL: RED nodes sharing one database hold different
 * numbers, a cleanly stopped node's number is reused after its last id, and a killed node's number
 * only once its lease ran out.
 */
class NodeLeaseIT {

  private static final Duration LEASE = Duration.ofMillis(600);

  private final List<NodeLease> leases = new ArrayList<>();
  private JdbcClient jdbc;

  @BeforeEach
  void freshDatabase() {
    RealServers servers = RealServers.shared();
    DriverManagerDataSource dataSource =
        new DriverManagerDataSource(
            servers.postgresJdbcUrl("red_node_lease_it") + "?currentSchema=red",
            servers.postgresUser(),
            servers.postgresPassword());
    Flyway flyway =
        Flyway.configure()
            .dataSource(dataSource)
            .schemas("red")
            .defaultSchema("red")
            .cleanDisabled(false)
            .load();
    flyway.clean();
    flyway.migrate();
    jdbc = JdbcClient.create(dataSource);
  }

  @AfterEach
  void releaseAll() {
    leases.forEach(NodeLease::destroy);
  }

  @Test
  void nodesSharingTheDatabaseHoldDifferentNumbersAndNeverShareAnId() {
    NodeLease a = lease();
    NodeLease b = lease();

    assertThat(a.generator().node()).isNotEqualTo(b.generator().node());
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(ids.add(a.generator().next())).isTrue();
      assertThat(ids.add(b.generator().next())).isTrue();
    }
  }

  @Test
  void cleanlyStoppedNodesNumberIsReusedAfterItsLastId() {
    NodeLease first = lease();
    int node = first.generator().node();
    long last = 0;
    for (int i = 0; i < 5_000; i++) {
      last = first.generator().next();
    }
    first.destroy();
    leases.remove(first);

    NodeLease restarted = lease();

    assertThat(restarted.generator().node()).isEqualTo(node);
    assertThat(restarted.generator().next()).isGreaterThan(last);
  }

  @Test
  void killedNodesNumberWaitsForItsLeaseToRunOut() {
    // Given a node that stopped renewing without a goodbye (killed)
    NodeLease killed = lease();
    int node = killed.generator().node();
    killed.abandon();

    // When another node starts while the lease lasts, it gets another number
    assertThat(lease().generator().node()).isNotEqualTo(node);

    // Then once the lease ran out a new node takes the number, its ids after every allowed one
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> leaseRanOut(node));
    long allowedUntil =
        jdbc.sql("SELECT issued_until_ms FROM id_nodes WHERE node_id = :n")
            .param("n", node)
            .query(Long.class)
            .single();
    NodeLease successor = lease();
    assertThat(successor.generator().node()).isEqualTo(node);
    assertThat(ImageIdGenerator.epochMillisOf(successor.generator().next()))
        .isGreaterThan(allowedUntil);
  }

  @Test
  void renewalKeepsTheNumberPastItsFirstLease() {
    NodeLease node = lease();

    await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(LEASE.multipliedBy(2))
        .until(() -> node.generator().next() > 0);
    assertThat(lease().generator().node()).isNotEqualTo(node.generator().node());
  }

  private boolean leaseRanOut(int node) {
    return jdbc.sql(
            "SELECT lease_until < now() AND issued_until_ms < :now FROM id_nodes"
                + " WHERE node_id = :n")
        .param("now", System.currentTimeMillis())
        .param("n", node)
        .query(Boolean.class)
        .single();
  }

  private NodeLease lease() {
    NodeLease lease = new NodeLease(jdbc, new IdProperties(LEASE, Duration.ofSeconds(1)));
    leases.add(lease);
    return lease;
  }
}
