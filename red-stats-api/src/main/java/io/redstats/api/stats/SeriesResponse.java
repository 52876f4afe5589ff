package io.redstats.api.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;

/** {@code GET /stats/series}: one bucket per step, empty ones included, oldest first. */
public record SeriesResponse(
    long from,
    long to,
    String step,
    BigDecimal red,
    @JsonProperty("client_id") @JsonInclude(JsonInclude.Include.NON_NULL) Long clientId,
    List<Bucket> buckets) {}
