package io.redstats.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealServersExtension.class)
class PostgresIT {

  @Test
  void missingDatabaseIsCreatedAndAnswersQueries(RealServers servers) throws Exception {
    // Given
    String url = servers.postgresJdbcUrl("harness_it");

    // When
    try (Connection connection =
            DriverManager.getConnection(url, servers.postgresUser(), servers.postgresPassword());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS probe (id bigint PRIMARY KEY)");
      statement.execute("INSERT INTO probe VALUES (1) ON CONFLICT DO NOTHING");
      try (ResultSet row =
          statement.executeQuery("SELECT current_database(), (SELECT count(*) FROM probe)")) {

        // Then
        assertThat(row.next()).isTrue();
        assertThat(row.getString(1)).isEqualTo("harness_it");
        assertThat(row.getLong(2)).isEqualTo(1);
      }
    }
  }

  @Test
  void askingTwiceForTheSameDatabaseGivesTheSameUrl(RealServers servers) {
    assertThat(servers.postgresJdbcUrl("harness_twice"))
        .isEqualTo(servers.postgresJdbcUrl("harness_twice"))
        .startsWith("jdbc:postgresql://")
        .endsWith("/harness_twice");
  }
}
