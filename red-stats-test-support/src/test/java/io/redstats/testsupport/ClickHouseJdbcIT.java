package io.redstats.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealServersExtension.class)
class ClickHouseJdbcIT {

  @Test
  void rowsInsertedInABatchAreSelectedBackThroughTheReturnedJdbcUrl(RealServers servers)
      throws Exception {
    // Given a database the harness created
    String url = servers.clickhouseJdbcUrl("harness_it");
    assertThat(url).startsWith("jdbc:clickhouse://127.0.0.1:").endsWith("/harness_it?compress=0");

    try (Connection connection = DriverManager.getConnection(url, "default", "")) {
      try (Statement ddl = connection.createStatement()) {
        ddl.execute("DROP TABLE IF EXISTS probe");
        ddl.execute(
            "CREATE TABLE probe (image_id UInt64, red UInt32) ENGINE = MergeTree ORDER BY image_id");
      }

      // When
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO probe (image_id, red) VALUES (?, ?)")) {
        for (long imageId = 1; imageId <= 3; imageId++) {
          insert.setLong(1, imageId);
          insert.setLong(2, imageId * 30_000);
          insert.addBatch();
        }
        insert.executeBatch();
      }

      // Then
      try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT count(), countIf(red > ?) FROM probe WHERE image_id >= ?");
          ResultSet row = execute(select, 50_000, 1)) {
        assertThat(row.next()).isTrue();
        assertThat(row.getLong(1)).isEqualTo(3);
        assertThat(row.getLong(2)).isEqualTo(2);
      }
    }
  }

  private static ResultSet execute(PreparedStatement select, long red, long minImageId)
      throws Exception {
    select.setLong(1, red);
    select.setLong(2, minImageId);
    return select.executeQuery();
  }
}
