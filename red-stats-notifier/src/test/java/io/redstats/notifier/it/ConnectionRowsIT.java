package io.redstats.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code client_connections} stays bounded: a client that reconnects with its connection key keeps
 * one row, and inactive rows past the retention (default, 24 h) are deleted by the heartbeat. One
 * node on real Kafka and PostgreSQL.
 */
class ConnectionRowsIT {

  private static final int RECONNECTS = 1_000;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static Stack stack;
  private static Stack.Node node;

  @BeforeAll
  static void startNode() {
    stack = Stack.shared();
    // Fast heartbeats, so the retention's delete runs every second; the retention is the default.
    node = stack.startNode("rows-node", Map.of("redstats.notifier.heartbeat-interval", "1s"));
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void clientReconnectingAThousandTimesWithItsConnectionKeyKeepsOneRow() throws Exception {
    // Given a client that subscribed once and kept the connection key it was given
    long client = 3001;
    String token = Stack.clientToken(client);
    String key;
    try (AlertClient first = AlertClient.connect(node.wsUrl(), token, "0.5", null)) {
      key = first.connection();
    }
    assertThat(key).isNotNull();

    // When it reconnects 1 000 times, sending the key back each time
    String query = AlertClient.query("0.5", null, null, key);
    for (int i = 1; i < RECONNECTS; i++) {
      try (AlertClient again =
          AlertClient.connectWith(node.wsUrl(), token, query, AlertClient.Auth.FIRST_MESSAGE)) {
        assertThat(again.connection()).isEqualTo(key);
      }
    }

    // Then, once every write is done, the client has one row: inactive, reconnected 999 times
    try (Connection db = stack.postgres()) {
      Rows rows = awaitRows(db, client, r -> r.maxReconnects() == RECONNECTS - 1 && !r.anyActive());
      assertThat(rows.count()).isEqualTo(1);
      assertThat(rows.keys()).isEqualTo(1);
    }
  }

  @Test
  void inactiveRowsPastTheRetentionAreDeletedAndYoungerOrActiveOnesKept() throws Exception {
    // Given rows of a client: inactive for 25 h, inactive for 23 h, and active for two days
    long client = 3002;
    try (Connection db = stack.postgres()) {
      long old = insert(db, client, false, "interval '25 hours'");
      long young = insert(db, client, false, "interval '23 hours'");
      long active = insert(db, client, true, "interval '48 hours'");

      // When the node's heartbeat has deleted the one past the default retention of 24 h
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (exists(db, old) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }

      // Then the others are still there (the same DELETE saw them)
      assertThat(exists(db, old)).as("row inactive for 25 h").isFalse();
      assertThat(exists(db, young)).as("row inactive for 23 h").isTrue();
      assertThat(exists(db, active)).as("active row").isTrue();
    }
  }

  record Rows(long count, long keys, int maxReconnects, boolean anyActive) {}

  private static Rows awaitRows(Connection db, long client, java.util.function.Predicate<Rows> done)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Rows rows = null;
    while (System.nanoTime() < deadline) {
      try (PreparedStatement q =
          db.prepareStatement(
              "SELECT count(*), count(DISTINCT connection_key), coalesce(max(reconnects), -1),"
                  + " coalesce(bool_or(active), false)"
                  + " FROM client_connections WHERE client_id = ?")) {
        q.setLong(1, client);
        try (ResultSet rs = q.executeQuery()) {
          rs.next();
          rows = new Rows(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getBoolean(4));
        }
      }
      if (done.test(rows)) {
        return rows;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the rows of client " + client + " never settled: " + rows);
  }

  /** A row of another node, connected (and, if inactive, disconnected) {@code ago}. */
  private static long insert(Connection db, long client, boolean active, String ago)
      throws Exception {
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO client_connections (connection_key, client_id, sees_client_id, min_red,"
                + " active, node_id, connected_at, disconnected_at)"
                + " VALUES (?, ?, ?, 0.5, ?, 'a-node-that-never-heartbeat', now() - "
                + ago
                + ", CASE WHEN ? THEN NULL ELSE now() - "
                + ago
                + " END) RETURNING id")) {
      insert.setObject(1, UUID.randomUUID());
      insert.setLong(2, client);
      insert.setLong(3, client);
      insert.setBoolean(4, active);
      insert.setBoolean(5, active);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static boolean exists(Connection db, long id) throws Exception {
    try (PreparedStatement q =
        db.prepareStatement("SELECT 1 FROM client_connections WHERE id = ?")) {
      q.setLong(1, id);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next();
      }
    }
  }
}
