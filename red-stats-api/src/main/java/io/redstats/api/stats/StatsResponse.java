package io.redstats.api.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/**
 * {@code GET /stats}: images with {@code from <= timestamp < to}, and how many had red strictly
 * above {@code red} (the threshold as applied: rounded to five decimals).
 *
 * @param clientId the client counted, absent when every visible client was
 */
public record StatsResponse(
    long from,
    long to,
    BigDecimal red,
    @JsonProperty("client_id") @JsonInclude(JsonInclude.Include.NON_NULL) Long clientId,
    long images,
    long above) {}
