package io.redstats.red.outbox;

import java.time.Instant;

/** A measured image about to be stored together with its pending delivery. */
public record NewImage(
    long imageId,
    long clientId,
    Instant timestamp,
    int redUnits,
    String format,
    int width,
    int height,
    byte[] contentSha256,
    String idempotencyKey) {}
