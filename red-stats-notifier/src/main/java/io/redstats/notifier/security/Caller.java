package io.redstats.notifier.security;

import java.time.Instant;

/**
 * A verified token holder.
 *
 * @param clientId the client the token acts for, or null (admin and producer tokens)
 * @param admin whether it holds scope admin (sees every client)
 * @param expiresAt the token's {@code exp}, or null when it has none; a stream opened with it is
 *     closed then
 */
public record Caller(Long clientId, boolean admin, Instant expiresAt) {}
