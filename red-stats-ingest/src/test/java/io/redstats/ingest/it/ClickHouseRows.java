package io.redstats.ingest.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongPredicate;

/** Reads the {@code events} table the way a person checking the sink would. */
final class ClickHouseRows {

  private final String url;

  ClickHouseRows(String url) {
    this.url = url;
  }

  long countImage(long imageId) {
    return countRange(imageId, imageId);
  }

  long countRange(long fromImageId, long toImageId) {
    return count(
        "SELECT count() FROM events WHERE image_id >= ? AND image_id <= ?", fromImageId, toImageId);
  }

  long distinctInRange(long fromImageId, long toImageId) {
    return count(
        "SELECT uniqExact(image_id) FROM events WHERE image_id >= ? AND image_id <= ?",
        fromImageId,
        toImageId);
  }

  /**
   * Rows per block of {@code blockSize} consecutive image ids from {@code firstImageId}: block
   * number → rows (blocks without rows are absent).
   */
  java.util.Map<Long, Long> countPerBlock(long firstImageId, long lastImageId, int blockSize) {
    String sql =
        "SELECT intDiv(image_id - ?, ?) AS block, count() FROM events"
            + " WHERE image_id >= ? AND image_id <= ? GROUP BY block";
    java.util.Map<Long, Long> blocks = new java.util.TreeMap<>();
    try (Connection c = DriverManager.getConnection(url, "default", "");
        PreparedStatement p = c.prepareStatement(sql)) {
      p.setLong(1, firstImageId);
      p.setLong(2, blockSize);
      p.setLong(3, firstImageId);
      p.setLong(4, lastImageId);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          blocks.put(rs.getLong(1), rs.getLong(2));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return blocks;
  }

  /** Red units stored for an image, or -1. */
  long redOf(long imageId) {
    return count(
        "SELECT any(red) FROM events WHERE image_id = ? AND image_id = ?", imageId, imageId);
  }

  /** One stored row as column name → value, or an empty map. */
  java.util.Map<String, Long> row(long imageId) {
    String sql =
        "SELECT client_id, toUInt32(ts) AS ts_seconds, ts_ms, red, kafka_partition, kafka_offset,"
            + " ingested_ms FROM events WHERE image_id = ?";
    java.util.Map<String, Long> row = new java.util.LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(url, "default", "");
        PreparedStatement p = c.prepareStatement(sql)) {
      p.setLong(1, imageId);
      try (ResultSet rs = p.executeQuery()) {
        if (rs.next()) {
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            row.put(rs.getMetaData().getColumnLabel(i), rs.getLong(i));
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return row;
  }

  private long count(String sql, long a, long b) {
    try (Connection c = DriverManager.getConnection(url, "default", "");
        PreparedStatement p = c.prepareStatement(sql)) {
      p.setLong(1, a);
      p.setLong(2, b);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until {@code query} returns a value {@code done} accepts; returns the last value. */
  static long await(java.util.function.LongSupplier query, LongPredicate done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long value = query.getAsLong();
    while (!done.test(value) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      value = query.getAsLong();
    }
    return value;
  }
}
