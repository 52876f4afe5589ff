package io.redstats.notifier.socket;

import org.springframework.web.socket.CloseStatus;

/**
 * The close codes of the alert protocol (4000–4999 is the range RFC 6455 leaves to applications).
 * Each says what the client should do next; the module README lists them.
 */
public final class CloseCodes {

  /**
   * The client fell behind its send queue. Reconnect with the last resume token: nothing is lost.
   */
  public static final CloseStatus RESUME_REQUIRED =
      new CloseStatus(4408, "send queue full; reconnect with your last resume token");

  /**
   * The token the stream was opened with expired (its {@code exp} passed). Reconnect with a fresh
   * token and the last resume token: nothing is lost. 4401 mirrors HTTP 401, the handshake's answer
   * to an expired token.
   */
  public static final CloseStatus TOKEN_EXPIRED =
      new CloseStatus(
          4401, "token expired; reconnect with a fresh token and your last resume token");

  /**
   * The socket was not authenticated: no {@code {"type":"auth","token":…}} first message within
   * {@code auth-timeout}, or its token is not valid. Reconnect and authenticate with a valid token.
   */
  static CloseStatus notAuthenticated(String why) {
    return new CloseStatus(4401, reason(why));
  }

  /**
   * The token is valid but may not open this stream (no scope subscribe, another client's images).
   * 4403 mirrors HTTP 403, the handshake's answer when the token comes in the header.
   */
  static CloseStatus forbidden(String why) {
    return new CloseStatus(4403, reason(why));
  }

  /** A close frame's reason has at most 123 bytes of UTF-8 (RFC 6455 5.5); ours are ASCII. */
  private static final int MAX_REASON = 123;

  private static String reason(String why) {
    String ascii = why.replaceAll("[^\\x20-\\x7e]", "?");
    return ascii.length() <= MAX_REASON ? ascii : ascii.substring(0, MAX_REASON);
  }

  /** The resume token points at records retention already deleted. Reconnect without it. */
  public static final CloseStatus TOKEN_TOO_OLD =
      new CloseStatus(4410, "resume token older than topic retention; reconnect without it");

  /** The resume token names positions this topic never had. Reconnect without it. */
  public static final CloseStatus TOKEN_INVALID =
      new CloseStatus(4400, "resume token does not match the topic; reconnect without it");

  /** The node cannot serve right now (feed not ready, replay failed). Retry with the token. */
  public static final CloseStatus TRY_AGAIN =
      new CloseStatus(1013, "try again later with your last resume token");

  /** No pong within the keepalive timeout: the connection is presumed dead. */
  public static final CloseStatus NO_PONG =
      new CloseStatus(1001, "no pong; connection presumed dead");

  private CloseCodes() {}
}
