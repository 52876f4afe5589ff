package io.redstats.notifier.socket;

import io.redstats.contract.event.AsciiNumbers;
import io.redstats.contract.event.InvalidValueException;
import io.redstats.notifier.feed.LiveFeed;
import io.redstats.notifier.feed.ResumeToken;
import io.redstats.notifier.security.AuthException;
import io.redstats.notifier.security.Caller;
import io.redstats.notifier.security.SubscriberAuthenticator;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Accepts or refuses an alert stream before the upgrade, with an HTTP status a client can act on:
 * 401 no valid token, 403 not allowed, 400 bad parameters (a token in the URL among them), 503
 * (with Retry-After) while the node is not reading the topic yet. Refusals have the JSON error body
 * every RED_STATS service uses.
 *
 * <p>A token never travels in the URL (proxies log URLs): a client sends it in the {@code
 * Authorization} header, checked here, or, when it cannot set headers (a browser), as the first
 * message on the socket, checked by {@link AlertSocketHandler}.
 */
final class SubscribeHandshake implements HandshakeInterceptor {

  /** Refused: the name browsers used to put a token in the URL. */
  static final String ACCESS_TOKEN = "access_token";

  static final String CLIENT_ID = "client_id";
  static final String CONNECTION = "connection";

  /** Seconds a client should wait while the node starts its feed: a few polls. */
  private static final String RETRY_AFTER_SECONDS = "1";

  private static final Pattern CANONICAL_UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final SubscriberAuthenticator authenticator;
  private final LiveFeed feed;

  SubscribeHandshake(SubscriberAuthenticator authenticator, LiveFeed feed) {
    this.authenticator = authenticator;
    this.feed = feed;
  }

  @Override
  public boolean beforeHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      Map<String, Object> attributes)
      throws IOException {
    HttpServletRequest servlet = ((ServletServerHttpRequest) request).getServletRequest();
    try {
      attributes.put(SubscribeRequest.ATTRIBUTE, subscribeRequest(servlet));
    } catch (AuthException e) {
      return refuse(response, e.status(), null, e.getMessage());
    } catch (ProtocolException e) {
      return refuse(response, HttpStatus.BAD_REQUEST, e.field(), e.getMessage());
    }
    if (!feed.isReady()) {
      response.getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
      return refuse(
          response, HttpStatus.SERVICE_UNAVAILABLE, null, "the node is not reading events yet");
    }
    return true;
  }

  private SubscribeRequest subscribeRequest(HttpServletRequest servlet) {
    // Not servlet.getParameter: see QueryParameters for why the query is decoded here.
    QueryParameters query = QueryParameters.parse(servlet.getQueryString());
    if (query.get(ACCESS_TOKEN) != null) {
      throw new ProtocolException(
          ACCESS_TOKEN,
          "a token in the URL is refused (URLs are logged): send it in the Authorization header"
              + " or as the first message {\"type\":\"auth\",\"token\":\"...\"}");
    }
    String authorization = servlet.getHeader(HttpHeaders.AUTHORIZATION);
    Caller caller =
        authorization == null || authorization.isBlank()
            ? null // authenticates with its first message
            : authenticator.authenticate(authorization, null);
    Long requested = clientIdParameter(query.get(CLIENT_ID));
    Subscriber subscriber =
        caller == null
            ? null
            : new Subscriber(caller.clientId(), authenticator.visibleClient(caller, requested));
    int minRedUnits = Protocol.parseMinRedParameter(query.get(Protocol.MIN_RED));
    return new SubscribeRequest(
        subscriber,
        requested,
        minRedUnits,
        resumeParameter(query.get(Protocol.RESUME)),
        connectionParameter(query.get(CONNECTION)),
        caller == null ? null : caller.expiresAt());
  }

  /** Absent or empty: a new connection; else the {@code connection} of an earlier subscribed. */
  static UUID connectionParameter(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    // UUID.fromString takes short groups and non-hex look-alikes; only the canonical form is ours.
    if (!CANONICAL_UUID.matcher(value).matches()) {
      throw new ProtocolException(CONNECTION, "is not a connection key of a subscribed message");
    }
    return UUID.fromString(value);
  }

  /** Absent or empty: no client named; else ASCII digits only, the api's client_id grammar. */
  static Long clientIdParameter(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return AsciiNumbers.positiveLong(value);
    } catch (InvalidValueException e) {
      throw new ProtocolException(CLIENT_ID, e.getMessage());
    }
  }

  static ResumeToken resumeParameter(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return ResumeToken.decode(value);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(Protocol.RESUME, "is not a resume token: " + e.getMessage());
    }
  }

  private static boolean refuse(
      ServerHttpResponse response, HttpStatus status, String field, String message)
      throws IOException {
    ObjectNode error = MAPPER.createObjectNode();
    if (field != null) {
      error.put("field", field);
    }
    error.put("message", message);
    ObjectNode body = MAPPER.createObjectNode();
    body.putArray("errors").add(error);
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    response.getBody().write(MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
    return false;
  }

  @Override
  public void afterHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      Exception exception) {}
}
