package io.redstats.contract.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClickHouseSchemaTest {

  @Test
  void databaseIsReadFromTheUrlAndSwappedForDefault() {
    String url = "jdbc:clickhouse://127.0.0.1:8123/redstats?compress=0";
    assertThat(ClickHouseSchema.databaseOf(url)).isEqualTo("redstats");
    assertThat(ClickHouseSchema.defaultDatabaseUrl(url))
        .isEqualTo("jdbc:clickhouse://127.0.0.1:8123/default?compress=0");
  }

  @Test
  void databaseNameThatIsNotPlainIsRefused() {
    assertThatThrownBy(() -> ClickHouseSchema.databaseOf("jdbc:clickhouse://h:1/a;drop?x=1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyShippedMigrationHasAVersionAndStatements() {
    assertThat(ClickHouseSchema.migrationFiles()).startsWith("V1__events.sql");
    for (String file : ClickHouseSchema.migrationFiles()) {
      assertThat(ClickHouseSchema.versionOf(file)).isPositive();
    }
  }

  @Test
  void scriptIsSplitAtLineEndingSemicolonsWithoutComments() {
    assertThat(
            ClickHouseSchema.statements(
                "-- c\nCREATE TABLE a (x UInt8)\nENGINE = Log;\nSELECT 1;\n"))
        .containsExactly("CREATE TABLE a (x UInt8)\nENGINE = Log", "SELECT 1");
  }
}
