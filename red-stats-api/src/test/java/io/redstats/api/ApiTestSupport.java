package io.redstats.api;

import io.redstats.contract.auth.TokenMinter;
import io.redstats.contract.schema.ClickHouseSchema;
import io.redstats.testsupport.RealServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The api on a random port against a real ClickHouse from {@link RealServers}, with a database of
 * its own migrated by the same migrator ingest runs. Every IT class extends this one, so they share
 * one Spring context; each keeps to its own clients and years so their rows never meet.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ApiTestSupport {

  protected static final String SECRET = "api-integration-tests-secret-0123456789";
  protected static final TokenMinter MINTER = new TokenMinter(SECRET);
  protected static final JsonMapper JSON = JsonMapper.builder().build();

  /** A database per test JVM, so runs against a shared server never see each other's rows. */
  protected static final String DATABASE =
      "api_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  protected static final String JDBC_URL = migratedDatabase();

  /** The rate limit of the shared context: low enough that a test can reach it quickly. */
  protected static final int RATE_LIMIT_BURST = 20;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @LocalServerPort protected int port;

  @DynamicPropertySource
  static void apiProperties(DynamicPropertyRegistry registry) {
    registry.add("redstats.clickhouse.url", () -> JDBC_URL);
    registry.add("redstats.security.jwt-secret", () -> SECRET);
    registry.add("redstats.api.rate-limit.burst", () -> RATE_LIMIT_BURST);
    registry.add("redstats.api.rate-limit.per-second", () -> 2);
    registry.add("logging.level.org.apache.kafka", () -> "WARN");
    // every range through the rollup plan, however short: the exactness tests cover it all
    registry.add("redstats.api.raw-below", () -> "0s");
  }

  private static String migratedDatabase() {
    String url = RealServers.shared().clickhouseJdbcUrl(DATABASE);
    try {
      ClickHouseSchema.migrate(url, "default", "");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot migrate " + url, e);
    }
    return url;
  }

  /** A token with a subject of its own, so rate limits of other tests never apply to it. */
  protected static String token(Long clientId, String... scopes) {
    return MINTER.mint(
        "it-" + UUID.randomUUID(), clientId, List.of(scopes), Duration.ofMinutes(30));
  }

  protected static String adminToken() {
    return token(null, "admin");
  }

  /** Inserts rows straight into the raw table, one INSERT (one block for the views). */
  protected static void insert(Collection<Event> events) {
    String sql =
        "INSERT INTO events (image_id, client_id, ts, ts_ms, red, kafka_partition, kafka_offset,"
            + " ingested_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    try (Connection c = DriverManager.getConnection(JDBC_URL, "default", "");
        PreparedStatement p = c.prepareStatement(sql)) {
      for (Event e : events) {
        p.setLong(1, e.imageId());
        p.setLong(2, e.clientId());
        p.setLong(3, Math.floorDiv(e.timestampMs(), 1000L));
        p.setLong(4, e.timestampMs());
        p.setInt(5, e.redUnits());
        p.setInt(6, 0);
        p.setLong(7, e.imageId());
        p.setLong(8, System.currentTimeMillis());
        p.addBatch();
      }
      p.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("insert failed", e);
    }
  }

  /** One stored row, as the sink would write it. */
  public record Event(long imageId, long clientId, long timestampMs, int redUnits) {}

  public record Answer(int status, JsonNode body, HttpResponse<String> raw) {}

  protected Answer get(String pathAndQuery, String token) {
    return get(pathAndQuery, token, null);
  }

  /** The same with an {@code Accept} header (none when null). */
  protected Answer get(String pathAndQuery, String token, String accept) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .GET();
    if (accept != null) {
      request.header("Accept", accept);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = response.body().isBlank() ? null : JSON.readTree(response.body());
      return new Answer(response.statusCode(), body, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
