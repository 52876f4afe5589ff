package io.redstats.notifier.subscription;

import io.redstats.contract.event.Red;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code client_connections} and {@code notifier_nodes}. Times come from the database clock, so
 * nodes with skewed clocks still agree on who is dead.
 */
@Repository
public class ConnectionRepository {

  private final JdbcClient jdbc;

  public ConnectionRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The active row of the connection {@code key}: a new one, or, when a client reconnects with the
   * key of its earlier stream, that stream's row taken over (its node, threshold and times updated,
   * {@code reconnects} counted up). A key whose row belongs to another client is not taken over:
   * the stream gets a row of a fresh key.
   */
  public ConnectionRow opened(
      NodeId node, UUID key, Long clientId, Long seesClientId, int minRedUnits, boolean resumed) {
    return jdbc.sql(
            """
            INSERT INTO client_connections
                (connection_key, client_id, sees_client_id, min_red, active, resumed, node_id)
            VALUES (:key, :client, :sees, :minRed, true, :resumed, :node)
            ON CONFLICT (connection_key) DO UPDATE
               SET sees_client_id = EXCLUDED.sees_client_id,
                   min_red = EXCLUDED.min_red,
                   active = true,
                   resumed = EXCLUDED.resumed,
                   node_id = EXCLUDED.node_id,
                   connected_at = now(),
                   updated_at = now(),
                   disconnected_at = NULL,
                   reconnects = client_connections.reconnects + 1
             WHERE client_connections.client_id IS NOT DISTINCT FROM EXCLUDED.client_id
            RETURNING id, reconnects
            """)
        .param("key", key)
        .param("client", clientId)
        .param("sees", seesClientId)
        .param("minRed", Red.toDecimal(minRedUnits))
        .param("resumed", resumed)
        .param("node", node.value())
        .query((rs, row) -> new ConnectionRow(rs.getLong("id"), rs.getInt("reconnects")))
        .optional()
        .orElseGet(
            () -> opened(node, UUID.randomUUID(), clientId, seesClientId, minRedUnits, resumed));
  }

  public void thresholdChanged(ConnectionRow row, int minRedUnits) {
    jdbc.sql(
            """
            UPDATE client_connections SET min_red = :minRed, updated_at = now()
             WHERE id = :id AND reconnects = :reconnects
            """)
        .param("minRed", Red.toDecimal(minRedUnits))
        .param("id", row.id())
        .param("reconnects", row.reconnects())
        .update();
  }

  public void closed(ConnectionRow row) {
    jdbc.sql(
            """
            UPDATE client_connections
               SET active = false, disconnected_at = now(), updated_at = now()
             WHERE id = :id AND reconnects = :reconnects AND active
            """)
        .param("id", row.id())
        .param("reconnects", row.reconnects())
        .update();
  }

  /** Deletes the rows inactive for longer than {@code retentionMs}; returns how many. */
  public int deleteInactive(long retentionMs) {
    return jdbc.sql(
            """
            DELETE FROM client_connections
             WHERE NOT active
               AND disconnected_at < now() - make_interval(secs => :retentionSeconds)
            """)
        .param("retentionSeconds", retentionMs / 1000.0)
        .update();
  }

  public void heartbeat(NodeId node) {
    jdbc.sql(
            """
            INSERT INTO notifier_nodes (node_id, heartbeat_at) VALUES (:node, now())
            ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now()
            """)
        .param("node", node.value())
        .update();
  }

  /** Marks inactive the rows of nodes whose last heartbeat is older than {@code timeoutMs}. */
  public int reapDeadNodes(long timeoutMs) {
    return jdbc.sql(
            """
            UPDATE client_connections c
               SET active = false, disconnected_at = now(), updated_at = now()
              FROM notifier_nodes n
             WHERE c.active
               AND c.node_id = n.node_id
               AND n.heartbeat_at < now() - make_interval(secs => :timeoutSeconds)
            """)
        .param("timeoutSeconds", timeoutMs / 1000.0)
        .update();
  }

  /** At start and stop: no connection of this node survives a restart of it. */
  public int closeAllOf(NodeId node) {
    return jdbc.sql(
            """
            UPDATE client_connections
               SET active = false, disconnected_at = now(), updated_at = now()
             WHERE active AND node_id = :node
            """)
        .param("node", node.value())
        .update();
  }

  public List<ConnectionView> active() {
    return jdbc.sql(
            """
            SELECT id, connection_key, client_id, sees_client_id, min_red, active, resumed,
                   reconnects, node_id, connected_at, updated_at, disconnected_at
              FROM client_connections
             WHERE active
             ORDER BY id
            """)
        .query(ConnectionRepository::view)
        .list();
  }

  private static ConnectionView view(ResultSet rs, int row) throws SQLException {
    return new ConnectionView(
        rs.getLong("id"),
        rs.getObject("connection_key", UUID.class),
        nullableLong(rs, "client_id"),
        nullableLong(rs, "sees_client_id"),
        rs.getBigDecimal("min_red"),
        rs.getBoolean("active"),
        rs.getBoolean("resumed"),
        rs.getInt("reconnects"),
        rs.getString("node_id"),
        instant(rs.getTimestamp("connected_at")),
        instant(rs.getTimestamp("updated_at")),
        instant(rs.getTimestamp("disconnected_at")));
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
