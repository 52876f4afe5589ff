package io.redstats.notifier.subscription;

/**
 * A connection's row in {@code client_connections}, as one stream wrote it.
 *
 * @param id the row
 * @param reconnects the row's reconnect count when this stream took it over: later writes of the
 *     stream apply only while it is unchanged, so the close of a stream a client has already left
 *     (for another node, or the same one) does not mark its new stream's row inactive
 */
public record ConnectionRow(long id, int reconnects) {}
