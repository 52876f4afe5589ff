package io.redstats.ingest.sink;

import io.redstats.contract.schema.ClickHouseSchema;
import io.redstats.ingest.config.ClickHouseProperties;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** The SQL of the sink against ClickHouse's {@code events} table; runs on ClickHouse 18.16. */
final class EventsTable {

  private static final String INSERT =
      "INSERT INTO events (image_id, client_id, ts, ts_ms, red, kafka_partition, kafka_offset,"
          + " ingested_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

  private final ClickHouseProperties properties;

  EventsTable(ClickHouseProperties properties) {
    this.properties = properties;
  }

  Connection connect() throws SQLException {
    loadDriver();
    Properties info = new Properties();
    info.setProperty("user", properties.user());
    info.setProperty("password", properties.password());
    return DriverManager.getConnection(properties.url(), info);
  }

  void migrate() throws SQLException {
    loadDriver();
    ClickHouseSchema.migrate(properties.url(), properties.user(), properties.password());
  }

  private void loadDriver() throws SQLException {
    try {
      // Registers the driver with DriverManager even when service loading misses it (fat jar).
      Class.forName(properties.driverClassName());
    } catch (ClassNotFoundException e) {
      throw new SQLException(
          "JDBC driver not on the classpath: " + properties.driverClassName(), e);
    }
  }

  /** The highest offset stored per Kafka partition. */
  Map<Integer, Long> maxOffsets(Connection c) throws SQLException {
    Map<Integer, Long> max = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT kafka_partition, max(kafka_offset) FROM events GROUP BY kafka_partition")) {
      while (rs.next()) {
        max.put(rs.getInt(1), rs.getLong(2));
      }
    }
    return max;
  }

  /** The offsets stored for one partition above {@code after}. */
  Set<Long> offsetsAbove(Connection c, int partition, long after) throws SQLException {
    Set<Long> offsets = new HashSet<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT kafka_offset FROM events WHERE kafka_partition = ? AND kafka_offset > ?")) {
      p.setInt(1, partition);
      p.setLong(2, after);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          offsets.add(rs.getLong(1));
        }
      }
    }
    return offsets;
  }

  void insert(Connection c, List<SinkRow> rows) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(INSERT)) {
      for (SinkRow row : rows) {
        long tsMs = row.event().timestampMs();
        p.setLong(1, row.event().imageId());
        p.setLong(2, row.event().clientId());
        p.setLong(
            3, Math.floorDiv(tsMs, 1000L)); // DateTime from unix seconds: no time zone involved
        p.setLong(4, tsMs);
        p.setInt(5, row.event().redUnits());
        p.setInt(6, row.partition());
        p.setLong(7, row.offset());
        p.setLong(8, row.ingestedMs());
        p.addBatch();
      }
      p.executeBatch();
    }
  }
}
