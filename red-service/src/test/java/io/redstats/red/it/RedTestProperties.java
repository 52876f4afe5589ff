package io.redstats.red.it;

import io.redstats.testsupport.RealServers;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The properties every red-service IT sets: its own database, the test secret (RED signs its own
 * producer tokens with it), fast retries.
 */
public final class RedTestProperties {

  private RedTestProperties() {}

  public static void register(
      DynamicPropertyRegistry registry, String database, List<String> ingestUrls) {
    RealServers servers = RealServers.shared();
    registry.add("spring.datasource.url", () -> servers.postgresJdbcUrl(database));
    registry.add("spring.datasource.username", servers::postgresUser);
    registry.add("spring.datasource.password", servers::postgresPassword);
    registry.add("redstats.security.jwt-secret", () -> RedClient.SECRET);
    registry.add("redstats.red.ingest-urls", () -> String.join(",", ingestUrls));
    registry.add("redstats.red.delivery.initial-backoff", () -> "50ms");
    registry.add("redstats.red.delivery.max-backoff", () -> "400ms");
    registry.add("redstats.red.delivery.idle-poll", () -> "100ms");
    registry.add("redstats.red.delivery.connect-timeout", () -> "500ms");
    registry.add("redstats.red.delivery.read-timeout", () -> "3s");
  }
}
