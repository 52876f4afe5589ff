package io.redstats.notifier.subscription;

import io.redstats.contract.event.Red;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
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

  /** A new active row; returns its id. */
  public long opened(
      NodeId node, Long clientId, Long seesClientId, int minRedUnits, boolean resumed) {
    KeyHolder keys = new GeneratedKeyHolder();
    jdbc.sql(
            """
            INSERT INTO client_connections
                (client_id, sees_client_id, min_red, active, resumed, node_id)
            VALUES (:client, :sees, :minRed, true, :resumed, :node)
            """)
        .param("client", clientId)
        .param("sees", seesClientId)
        .param("minRed", Red.toDecimal(minRedUnits))
        .param("resumed", resumed)
        .param("node", node.value())
        .update(keys, "id");
    return keys.getKeyAs(Long.class);
  }

  public void thresholdChanged(long id, int minRedUnits) {
    jdbc.sql("UPDATE client_connections SET min_red = :minRed, updated_at = now() WHERE id = :id")
        .param("minRed", Red.toDecimal(minRedUnits))
        .param("id", id)
        .update();
  }

  public void closed(long id) {
    jdbc.sql(
            """
            UPDATE client_connections
               SET active = false, disconnected_at = now(), updated_at = now()
             WHERE id = :id AND active
            """)
        .param("id", id)
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
            SELECT id, client_id, sees_client_id, min_red, active, resumed, node_id,
                   connected_at, updated_at, disconnected_at
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
        nullableLong(rs, "client_id"),
        nullableLong(rs, "sees_client_id"),
        rs.getBigDecimal("min_red"),
        rs.getBoolean("active"),
        rs.getBoolean("resumed"),
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
