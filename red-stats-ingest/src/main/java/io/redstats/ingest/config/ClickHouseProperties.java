package io.redstats.ingest.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ClickHouse this service migrates and writes; the driver is a configuration choice because
 * ClickHouse 18.16 needs the legacy driver and a newer server may want the current one.
 */
@ConfigurationProperties("redstats.clickhouse")
public record ClickHouseProperties(
    @DefaultValue("jdbc:clickhouse://127.0.0.1:8123/redstats?compress=0") String url,
    @DefaultValue("default") String user,
    @DefaultValue("") String password,
    @DefaultValue("ru.yandex.clickhouse.ClickHouseDriver") String driverClassName) {}
