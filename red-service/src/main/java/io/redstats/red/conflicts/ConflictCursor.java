package io.redstats.red.conflicts;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Where the watcher stands in ingest's conflict list: ingest's opaque cursor, in one row. */
@Repository
class ConflictCursor {

  private final JdbcClient jdbc;

  ConflictCursor(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The cursor after the last page handled; empty before the first (from the oldest conflict). */
  Optional<String> load() {
    return jdbc.sql("SELECT position FROM conflict_cursor").query(String.class).optional();
  }

  void save(String position) {
    jdbc.sql(
            "INSERT INTO conflict_cursor (id, position, updated_at) VALUES (TRUE, :position,"
                + " now()) ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position,"
                + " updated_at = EXCLUDED.updated_at")
        .param("position", position)
        .update();
  }
}
