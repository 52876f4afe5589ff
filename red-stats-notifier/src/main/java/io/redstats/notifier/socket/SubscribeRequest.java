package io.redstats.notifier.socket;

import io.redstats.notifier.feed.ResumeToken;
import java.time.Instant;

/**
 * What an accepted handshake asks for, handed from the handshake to the socket handler.
 *
 * @param resume where a reconnecting client's stream stood, or null for a new stream
 * @param tokenExpiresAt when the token the stream was opened with expires (null: never); the stream
 *     is closed with {@link CloseCodes#TOKEN_EXPIRED} then
 */
record SubscribeRequest(
    Subscriber subscriber, int minRedUnits, ResumeToken resume, Instant tokenExpiresAt) {

  static final String ATTRIBUTE = SubscribeRequest.class.getName();
}
