package io.redstats.notifier.security;

/**
 * A verified token holder.
 *
 * @param clientId the client the token acts for, or null (admin and producer tokens)
 * @param admin whether it holds scope admin (sees every client)
 */
public record Caller(Long clientId, boolean admin) {}
