package io.redstats.notifier.socket;

import io.redstats.notifier.feed.LiveFeed;
import io.redstats.notifier.feed.ReplayService;
import io.redstats.notifier.index.SubscriptionIndex;
import io.redstats.notifier.security.AuthException;
import io.redstats.notifier.security.Caller;
import io.redstats.notifier.security.SubscriberAuthenticator;
import io.redstats.notifier.subscription.ConnectionLog;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * {@code /alerts}: opens a client's alert stream after the handshake accepted it (at once when the
 * handshake carried an {@code Authorization} header, else once its first message authenticated it),
 * applies threshold changes sent on the socket, and closes the stream. Events reach the sessions
 * through the index, not through this class.
 */
final class AlertSocketHandler extends TextWebSocketHandler {

  private static final Logger log = LoggerFactory.getLogger(AlertSocketHandler.class);

  /** Tomcat's per-session limit on one blocking write, in milliseconds. */
  private static final String TOMCAT_BLOCKING_SEND_TIMEOUT =
      "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

  /**
   * Tomcat's wait for the close frame when the code is not 1000; its default (50 ms) would drop the
   * 4408 frame behind a write still blocked on a slow client, leaving the client a bare 1006.
   */
  private static final String TOMCAT_ABNORMAL_CLOSE_SEND_TIMEOUT =
      "org.apache.tomcat.websocket.ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT";

  private final SubscriptionIndex<AlertSession> index;
  private final LiveFeed feed;
  private final ReplayService replay;
  private final ConnectionLog connections;
  private final SocketProperties properties;
  private final AlertSenders senders;
  private final Map<String, AlertSession> sessions;
  private final AlertMetrics metrics;
  private final TokenExpiry expiry;
  private final SubscriberAuthenticator authenticator;

  /** Sockets waiting for their {@code auth} message; removing one decides its fate, once. */
  private final Map<String, Unauthenticated> unauthenticated = new ConcurrentHashMap<>();

  /**
   * An open socket that has not authenticated yet, and the timer that closes it if it never does.
   */
  private static final class Unauthenticated {
    final SubscribeRequest request;
    volatile Future<?> deadline;

    Unauthenticated(SubscribeRequest request) {
      this.request = request;
    }

    void cancelDeadline() {
      Future<?> timer = deadline;
      if (timer != null) {
        timer.cancel(false);
      }
    }
  }

  AlertSocketHandler(
      SubscriptionIndex<AlertSession> index,
      LiveFeed feed,
      ReplayService replay,
      ConnectionLog connections,
      SocketProperties properties,
      AlertSenders senders,
      Map<String, AlertSession> sessions,
      AlertMetrics metrics,
      TokenExpiry expiry,
      SubscriberAuthenticator authenticator) {
    this.index = index;
    this.feed = feed;
    this.replay = replay;
    this.connections = connections;
    this.properties = properties;
    this.senders = senders;
    this.sessions = sessions;
    this.metrics = metrics;
    this.expiry = expiry;
    this.authenticator = authenticator;
  }

  static Map<String, AlertSession> sessionMap() {
    return new ConcurrentHashMap<>();
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession socket) {
    limitBlockingWrites(socket);
    SubscribeRequest request =
        (SubscribeRequest) socket.getAttributes().get(SubscribeRequest.ATTRIBUTE);
    if (request.authenticated()) {
      open(socket, request);
      return;
    }
    Unauthenticated waiting = new Unauthenticated(request);
    unauthenticated.put(socket.getId(), waiting);
    waiting.deadline =
        expiry.after(
            properties.authTimeout(),
            () -> {
              if (unauthenticated.remove(socket.getId()) != null) {
                senders
                    .closers()
                    .execute(
                        () ->
                            close(
                                socket,
                                CloseCodes.notAuthenticated(
                                    "no auth message within "
                                        + properties.authTimeout().toMillis()
                                        + " ms")));
              }
            });
  }

  /** The first message of a socket whose handshake had no Authorization header: its token. */
  private void authenticate(WebSocketSession socket, Unauthenticated waiting, String payload) {
    waiting.cancelDeadline();
    SubscribeRequest request = waiting.request;
    try {
      Caller caller = authenticator.authenticate(null, Protocol.parseAuth(payload));
      Long seen = authenticator.visibleClient(caller, request.requestedClientId());
      open(
          socket,
          request.authenticatedAs(new Subscriber(caller.clientId(), seen), caller.expiresAt()));
    } catch (ProtocolException e) {
      close(socket, CloseCodes.notAuthenticated(e.getMessage()));
    } catch (AuthException e) {
      close(
          socket,
          e.status() == HttpStatus.FORBIDDEN
              ? CloseCodes.forbidden(e.getMessage())
              : CloseCodes.notAuthenticated(e.getMessage()));
    }
  }

  private void open(WebSocketSession socket, SubscribeRequest request) {
    Subscriber subscriber = request.subscriber();
    AlertSession session =
        new AlertSession(
            socket,
            subscriber,
            request.minRedUnits(),
            properties,
            senders,
            senders.closers(),
            metrics);
    UUID key = request.connection() != null ? request.connection() : UUID.randomUUID();
    session.connectionKey(key);
    sessions.put(socket.getId(), session);
    session.connectionRow(
        connections.opened(
            key,
            subscriber.clientId(),
            subscriber.seesClientId(),
            request.minRedUnits(),
            request.resume() != null));
    try {
      var joinedAt =
          feed.joinAtCurrentPosition(
              position -> {
                session.join(position, request.resume());
                index.add(session, subscriber.seesClientId(), request.minRedUnits());
                return position;
              });
      session.expiryTimer(expiry.closeAtExpiry(session, request.tokenExpiresAt()));
      if (request.resume() != null) {
        replay.replay(request.resume(), joinedAt, session);
      }
    } catch (LiveFeed.NotReadyException e) {
      session.closeWith(CloseCodes.TRY_AGAIN);
    }
  }

  private static void close(WebSocketSession socket, CloseStatus status) {
    try {
      socket.close(status);
    } catch (IOException | RuntimeException e) {
      log.debug("closing session {} failed: {}", socket.getId(), e.toString());
    }
  }

  @Override
  protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
    Unauthenticated waiting = unauthenticated.remove(socket.getId());
    if (waiting != null) {
      authenticate(socket, waiting, message.getPayload());
      return;
    }
    AlertSession session = sessions.get(socket.getId());
    if (session == null) {
      return;
    }
    int units;
    try {
      units = Protocol.parseThresholdChange(message.getPayload());
    } catch (ProtocolException e) {
      session.sendControl(Protocol.error(e.field(), e.getMessage()));
      return;
    }
    session.minRedUnits(units);
    index.move(session, units);
    connections.thresholdChanged(session.connectionRow(), units);
    session.sendControl(Protocol.ack(units));
  }

  @Override
  protected void handlePongMessage(WebSocketSession socket, PongMessage message) {
    AlertSession session = sessions.get(socket.getId());
    if (session != null) {
      session.pong();
    }
  }

  @Override
  public void handleTransportError(WebSocketSession socket, Throwable exception) {
    log.debug("transport error on session {}: {}", socket.getId(), exception.toString());
  }

  @Override
  public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
    Unauthenticated waiting = unauthenticated.remove(socket.getId());
    if (waiting != null) {
      waiting.cancelDeadline();
    }
    AlertSession session = sessions.remove(socket.getId());
    if (session == null) {
      return;
    }
    session.closed();
    index.remove(session);
    connections.closed(session.connectionRow());
  }

  /** Pings every client; one that stopped answering is closed (a dead socket, a gone NAT entry). */
  @Scheduled(
      fixedDelayString = "${redstats.notifier.ping-interval:20s}",
      initialDelayString = "${redstats.notifier.ping-interval:20s}")
  void keepalive() {
    sessions.values().forEach(AlertSession::ping);
  }

  private void limitBlockingWrites(WebSocketSession socket) {
    if (socket instanceof StandardWebSocketSession standard) {
      Session nativeSession = standard.getNativeSession(Session.class);
      if (nativeSession != null) {
        Long millis = properties.sendTimeout().toMillis();
        nativeSession.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, millis);
        nativeSession.getUserProperties().put(TOMCAT_ABNORMAL_CLOSE_SEND_TIMEOUT, millis);
      }
    }
  }
}
