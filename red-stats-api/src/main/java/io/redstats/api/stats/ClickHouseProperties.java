package io.redstats.api.stats;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the events are. The same names as ingest's (docs/CONVENTIONS.md); the driver is a setting
 * because ClickHouse 18.16 needs the legacy {@code ru.yandex} driver and a newer server the {@code
 * com.clickhouse} one.
 */
@ConfigurationProperties("redstats.clickhouse")
public record ClickHouseProperties(
    @DefaultValue("jdbc:clickhouse://127.0.0.1:8123/redstats?compress=0") String url,
    @DefaultValue("default") String user,
    @DefaultValue("") String password,
    @DefaultValue("ru.yandex.clickhouse.ClickHouseDriver") String driverClassName) {}
