package io.redstats.notifier.subscription;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** One row of {@code client_connections}, as the admin endpoint shows it. */
public record ConnectionView(
    long id,
    UUID connection,
    @JsonProperty("client_id") Long clientId,
    @JsonProperty("sees_client_id") Long seesClientId,
    @JsonProperty("min_red") BigDecimal minRed,
    boolean active,
    boolean resumed,
    int reconnects,
    @JsonProperty("node_id") String nodeId,
    @JsonProperty("connected_at") Instant connectedAt,
    @JsonProperty("updated_at") Instant updatedAt,
    @JsonProperty("disconnected_at") Instant disconnectedAt) {}
