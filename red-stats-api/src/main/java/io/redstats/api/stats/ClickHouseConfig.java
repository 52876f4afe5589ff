package io.redstats.api.stats;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The connection pool to ClickHouse, bounded everywhere so a dead server means a quick 503. */
@Configuration
class ClickHouseConfig {

  /** How long a request waits for a connection (or for ClickHouse to accept one) before 503. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /**
   * The client waits this much longer than the server-side limit, so the server's own timeout error
   * (clearer) normally arrives first.
   */
  static final Duration SOCKET_MARGIN = Duration.ofSeconds(3);

  /**
   * Hikari checks a connection idle for longer than this (default 0.5 s) with an extra round trip
   * before lending it. With the HTTP driver a "connection" is only settings and an HTTP client:
   * nothing in it goes stale that the query itself would not report (as a 503). The check would
   * double the round trips of every request after a pause of half a second, i.e. nearly every
   * request of a dashboard, so it runs only after a long idle time. Hikari reads this system
   * property once, when its first pool is created (below); a value set on the command line wins.
   */
  static final String ALIVE_BYPASS_PROPERTY = "com.zaxxer.hikari.aliveBypassWindowMs";

  static final Duration ALIVE_BYPASS = Duration.ofMinutes(1);

  @Bean
  DataSource clickHouseDataSource(ClickHouseProperties clickHouse, QueryProperties query) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("clickhouse");
    config.setDriverClassName(clickHouse.driverClassName());
    config.setJdbcUrl(clickHouse.url());
    config.setUsername(clickHouse.user());
    config.setPassword(clickHouse.password());
    config.setMaximumPoolSize(query.poolSize());
    config.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
    // start even while ClickHouse is down; requests answer 503 until it is back
    config.setInitializationFailTimeout(-1);
    // the legacy driver's isValid is not to be trusted across versions; a query always is
    config.setConnectionTestQuery("SELECT 1");
    config.addDataSourceProperty(
        "socket_timeout", Long.toString(query.queryTimeout().plus(SOCKET_MARGIN).toMillis()));
    config.addDataSourceProperty("connection_timeout", Long.toString(CONNECT_TIMEOUT.toMillis()));
    if (System.getProperty(ALIVE_BYPASS_PROPERTY) == null) {
      System.setProperty(ALIVE_BYPASS_PROPERTY, Long.toString(ALIVE_BYPASS.toMillis()));
    }
    return new HikariDataSource(config);
  }

  @Bean
  JdbcTemplate clickHouseJdbc(DataSource clickHouseDataSource, QueryProperties query) {
    JdbcTemplate jdbc = new JdbcTemplate(clickHouseDataSource);
    jdbc.setQueryTimeout((int) Math.max(1, query.queryTimeout().toSeconds()));
    return jdbc;
  }
}
