package io.redstats.notifier.socket;

import io.redstats.notifier.feed.ResumeToken;
import java.time.Instant;
import java.util.UUID;

/**
 * What an accepted handshake asks for, handed from the handshake to the socket handler.
 *
 * @param subscriber who is subscribed; null until the client authenticated (a handshake without an
 *     {@code Authorization} header authenticates with its first message)
 * @param requestedClientId the {@code client_id} the client asked to watch, or null
 * @param resume where a reconnecting client's stream stood, or null for a new stream
 * @param connection the connection key the client had on its previous stream, or null for a new
 *     one; its PostgreSQL row is reused
 * @param tokenExpiresAt when the token the stream was opened with expires (null: never, or not yet
 *     authenticated); the stream is closed with {@link CloseCodes#TOKEN_EXPIRED} then
 */
record SubscribeRequest(
    Subscriber subscriber,
    Long requestedClientId,
    int minRedUnits,
    ResumeToken resume,
    UUID connection,
    Instant tokenExpiresAt) {

  static final String ATTRIBUTE = SubscribeRequest.class.getName();

  boolean authenticated() {
    return subscriber != null;
  }

  SubscribeRequest authenticatedAs(Subscriber who, Instant expiresAt) {
    return new SubscribeRequest(who, requestedClientId, minRedUnits, resume, connection, expiresAt);
  }
}
