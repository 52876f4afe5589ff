package io.redstats.notifier.socket;

import io.redstats.notifier.feed.ResumeToken;

/**
 * What an accepted handshake asks for, handed from the handshake to the socket handler.
 *
 * @param resume where a reconnecting client's stream stood, or null for a new stream
 */
record SubscribeRequest(Subscriber subscriber, int minRedUnits, ResumeToken resume) {

  static final String ATTRIBUTE = SubscribeRequest.class.getName();
}
