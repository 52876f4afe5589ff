package io.redstats.contract.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Versioned, idempotent ClickHouse migrations from {@code clickhouse/index.txt} on the classpath.
 *
 * <p>Written by hand because Flyway's ClickHouse support needs a server newer than 18.16 (the one
 * our platform installs). Every statement is itself idempotent ({@code IF NOT EXISTS}), so two
 * nodes migrating at once, or a crash between a statement and its version row, are harmless: the
 * version table records what ran, the statements make re-running safe.
 */
public final class ClickHouseSchema {

  private static final Logger LOG = Logger.getLogger(ClickHouseSchema.class.getName());
  private static final String INDEX = "clickhouse/index.txt";

  private ClickHouseSchema() {}

  /** A database name we create and quote in DDL; refuses anything that is not a plain name. */
  static String databaseOf(String jdbcUrl) {
    int hostStart = jdbcUrl.indexOf("//");
    int slash = jdbcUrl.indexOf('/', hostStart + 2);
    if (hostStart < 0 || slash < 0) {
      return "default";
    }
    int query = jdbcUrl.indexOf('?', slash);
    String db = query < 0 ? jdbcUrl.substring(slash + 1) : jdbcUrl.substring(slash + 1, query);
    if (db.isEmpty()) {
      return "default";
    }
    if (!db.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("not a plain database name in " + jdbcUrl + ": " + db);
    }
    return db;
  }

  /** The same URL pointing at the {@code default} database, which always exists. */
  static String defaultDatabaseUrl(String jdbcUrl) {
    int hostStart = jdbcUrl.indexOf("//");
    int slash = jdbcUrl.indexOf('/', hostStart + 2);
    if (slash < 0) {
      return jdbcUrl;
    }
    int query = jdbcUrl.indexOf('?', slash);
    String rest = query < 0 ? "" : jdbcUrl.substring(query);
    return jdbcUrl.substring(0, slash) + "/default" + rest;
  }

  /** Creates the database if missing and applies every migration not yet applied. */
  public static List<String> migrate(String jdbcUrl, String user, String password)
      throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user == null ? "default" : user);
    props.setProperty("password", password == null ? "" : password);
    String db = databaseOf(jdbcUrl);
    try (Connection c = DriverManager.getConnection(defaultDatabaseUrl(jdbcUrl), props);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS " + db);
    }
    List<String> applied = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl, props)) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version UInt32, name String, applied_at DateTime)"
                + " ENGINE = MergeTree ORDER BY version");
      }
      Set<Integer> done = appliedVersions(c);
      for (String file : migrationFiles()) {
        int version = versionOf(file);
        if (done.contains(version)) {
          continue;
        }
        for (String sql : statements(read("clickhouse/" + file))) {
          try (Statement s = c.createStatement()) {
            s.execute(sql);
          }
        }
        try (PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, now())")) {
          p.setInt(1, version);
          p.setString(2, file);
          p.executeUpdate();
        }
        LOG.info(() -> "ClickHouse " + db + ": applied " + file);
        applied.add(file);
      }
    }
    return applied;
  }

  private static Set<Integer> appliedVersions(Connection c) throws SQLException {
    Set<Integer> versions = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT DISTINCT version FROM schema_version")) {
      while (rs.next()) {
        versions.add(rs.getInt(1));
      }
    }
    return versions;
  }

  static List<String> migrationFiles() {
    List<String> files = new ArrayList<>();
    for (String line : read(INDEX).split("\n")) {
      String name = line.strip();
      if (!name.isEmpty() && !name.startsWith("#")) {
        files.add(name);
      }
    }
    return files;
  }

  static int versionOf(String file) {
    if (!file.matches("V\\d+__.+\\.sql")) {
      throw new IllegalStateException("migration file name must be V<n>__<name>.sql: " + file);
    }
    return Integer.parseInt(file.substring(1, file.indexOf("__")));
  }

  /** Splits a file into statements at semicolons that end a line; drops comment-only lines. */
  static List<String> statements(String script) {
    List<String> result = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().strip();
        result.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      result.add(current.toString().strip());
    }
    return result;
  }

  private static String read(String resource) {
    try (InputStream in = ClickHouseSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
