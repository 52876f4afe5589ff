package io.redstats.api.stats;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the API queries ClickHouse.
 *
 * @param queryTimeout the longest a query may run on the server ({@code max_execution_time}); the
 *     client gives up a few seconds later. A request never hangs longer than this.
 * @param poolSize connections kept to ClickHouse; each query is one HTTP request on one of them
 * @param rollups answer whole minutes and hours from the rollups (false: every query scans the raw
 *     table, the slow reference the rollups must equal)
 * @param rawBelow ranges shorter than this scan the raw table only: ClickHouse finds them by
 *     primary key, and one scan costs less than the several sub-selects of a rollup plan
 */
@ConfigurationProperties("redstats.api")
public record QueryProperties(
    @DefaultValue("10s") Duration queryTimeout,
    @DefaultValue("8") int poolSize,
    @DefaultValue("true") boolean rollups,
    @DefaultValue("2h") Duration rawBelow) {}
