package io.redstats.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealServersExtension.class)
class ServerControlIT {

  private static final Duration SHORT = Duration.ofSeconds(2);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(SHORT).build();

  @Test
  void pausedClickHouseAnswersNothingUntilResumed(RealServers servers) throws Exception {
    // Given
    ServerControl clickhouse = control(servers, Server.CLICKHOUSE);
    URI ping = URI.create(servers.clickhouseHttpUrl() + "/ping");

    // When
    clickhouse.pause();
    try {
      // Then
      assertThatThrownBy(() -> get(ping)).isInstanceOf(HttpTimeoutException.class);
    } finally {
      clickhouse.resume();
    }
    assertThat(get(ping)).isEqualTo("Ok.\n");
  }

  @Test
  void committedPostgresRowSurvivesKill9AndRestart(RealServers servers) throws Exception {
    // Given a committed row
    ServerControl postgres = control(servers, Server.POSTGRES);
    String url = servers.postgresJdbcUrl("control_it");
    execute(servers, url, "CREATE TABLE IF NOT EXISTS kept (id bigint PRIMARY KEY)");
    execute(servers, url, "INSERT INTO kept VALUES (42) ON CONFLICT DO NOTHING");

    // When PostgreSQL crashes and comes back
    postgres.kill9();
    assertThat(postgres.running()).isFalse();
    postgres.start();

    // Then
    assertThat(count(servers, url, "SELECT count(*) FROM kept WHERE id = 42")).isEqualTo(1);
  }

  @Test
  void clickHouseRowsSurviveKill9AndRestart(RealServers servers) throws Exception {
    // Given
    ServerControl clickhouse = control(servers, Server.CLICKHOUSE);
    String url = servers.clickhouseJdbcUrl("control_it");
    try (Connection connection = DriverManager.getConnection(url, "default", "");
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS kept");
      statement.execute("CREATE TABLE kept (id UInt64) ENGINE = MergeTree ORDER BY id");
      statement.execute("INSERT INTO kept VALUES (1), (2)");
    }

    // When
    clickhouse.kill9();
    clickhouse.start();

    // Then
    try (Connection connection = DriverManager.getConnection(url, "default", "");
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT count() FROM kept")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getLong(1)).isEqualTo(2);
    }
  }

  private static ServerControl control(RealServers servers, Server server) {
    return servers.controlled(server);
  }

  private String get(URI uri) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(uri).timeout(SHORT).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static void execute(RealServers servers, String url, String sql) throws Exception {
    try (Connection connection =
            DriverManager.getConnection(url, servers.postgresUser(), servers.postgresPassword());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static long count(RealServers servers, String url, String sql) throws Exception {
    try (Connection connection =
            DriverManager.getConnection(url, servers.postgresUser(), servers.postgresPassword());
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }
}
