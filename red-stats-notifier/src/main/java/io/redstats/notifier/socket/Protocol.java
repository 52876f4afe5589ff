package io.redstats.notifier.socket;

import io.redstats.contract.event.AsciiNumbers;
import io.redstats.contract.event.EventFields;
import io.redstats.contract.event.InvalidValueException;
import io.redstats.contract.event.Red;
import io.redstats.contract.event.StatEvent;
import java.math.BigDecimal;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The messages of the alert protocol, both ways. The module README is its description for people.
 *
 * <p>Server to client: {@code subscribed} (once, first), {@code alert}, {@code ack}, {@code error}.
 * Client to server: {@code {"type":"auth","token":"<jwt>"}} (first, when the handshake had no
 * {@code Authorization} header), then {@code {"min_red": 0.9}}.
 */
public final class Protocol {

  public static final String MIN_RED = "min_red";
  public static final String RESUME = "resume";
  public static final String TYPE = "type";
  public static final String CONNECTION = "connection";
  static final String AUTH = "auth";
  static final String TOKEN = "token";

  private static final String AUTH_SHAPE =
      "the first message must be {\"type\":\"auth\",\"token\":\"<jwt>\"}";

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Protocol() {}

  /**
   * An alert. Built by hand: it is the one message sent at volume, every field is a number or a
   * base64url token (nothing to escape), and {@code red} keeps exactly five decimals.
   */
  public static String alert(StatEvent event, String resumeToken) {
    return new StringBuilder(128 + resumeToken.length())
        .append("{\"type\":\"alert\",\"")
        .append(EventFields.IMAGE_ID)
        .append("\":")
        .append(event.imageId())
        .append(",\"")
        .append(EventFields.CLIENT_ID)
        .append("\":")
        .append(event.clientId())
        .append(",\"")
        .append(EventFields.TIMESTAMP)
        .append("\":")
        .append(event.timestampMs())
        .append(",\"")
        .append(EventFields.RED)
        .append("\":")
        .append(event.red().toPlainString())
        .append(",\"resume\":\"")
        .append(resumeToken)
        .append("\"}")
        .toString();
  }

  /** The first message of a stream: what the subscription is, and a token to resume from. */
  public static String subscribed(Subscriber subscriber, int minRedUnits, String resumeToken) {
    return subscribed(subscriber, minRedUnits, resumeToken, null);
  }

  /**
   * @param connection the key a client sends back ({@code connection=}) when it reconnects, so its
   *     subscription keeps one row in PostgreSQL; null leaves it out
   */
  public static String subscribed(
      Subscriber subscriber, int minRedUnits, String resumeToken, UUID connection) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put(TYPE, "subscribed");
    if (subscriber.clientId() != null) {
      node.put(EventFields.CLIENT_ID, subscriber.clientId());
    }
    node.put("sees", subscriber.seesClientId() == null ? "all" : "own");
    node.put(MIN_RED, Red.toDecimal(minRedUnits));
    node.put(RESUME, resumeToken);
    if (connection != null) {
      node.put(CONNECTION, connection.toString());
    }
    return MAPPER.writeValueAsString(node);
  }

  private static boolean isAuth(JsonNode message) {
    JsonNode type = message.path(TYPE);
    return type.isString() && AUTH.equals(type.stringValue());
  }

  /**
   * The token of the first message of a socket whose handshake had no {@code Authorization} header.
   *
   * @throws ProtocolException when the message is not {@code {"type":"auth","token":"<jwt>"}}
   */
  static String parseAuth(String payload) {
    JsonNode node;
    try {
      node = MAPPER.readTree(payload);
    } catch (JacksonException e) {
      throw new ProtocolException(null, AUTH_SHAPE);
    }
    if (node == null
        || !node.isObject()
        || !isAuth(node)
        || !node.path(TOKEN).isString()
        || node.path(TOKEN).stringValue().isBlank()) {
      throw new ProtocolException(null, AUTH_SHAPE);
    }
    return node.path(TOKEN).stringValue();
  }

  /** Confirms a threshold change; events after it are matched against the new threshold. */
  public static String ack(int minRedUnits) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put(TYPE, "ack");
    node.put(MIN_RED, Red.toDecimal(minRedUnits));
    return MAPPER.writeValueAsString(node);
  }

  /** A client message the server did not accept; the socket stays open. */
  public static String error(String field, String message) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put(TYPE, "error");
    if (field != null) {
      node.put("field", field);
    }
    node.put("message", message);
    return MAPPER.writeValueAsString(node);
  }

  /**
   * The threshold of a {@code min_red} query parameter, in units: the same grammar as the api's
   * {@code red} ({@link AsciiNumbers#redThreshold}).
   *
   * @throws ProtocolException when it is missing, not a plain ASCII decimal like 0.85, or outside
   *     [0, 1]
   */
  public static int parseMinRedParameter(String value) {
    try {
      return AsciiNumbers.redThreshold(value);
    } catch (InvalidValueException e) {
      throw new ProtocolException(MIN_RED, e.getMessage());
    }
  }

  /**
   * The new threshold a client message asks for, in units.
   *
   * @throws ProtocolException when the message is not {@code {"min_red": <number in [0,1]>}}
   */
  public static int parseThresholdChange(String payload) {
    JsonNode node;
    try {
      node = MAPPER.readTree(payload);
    } catch (JacksonException e) {
      throw new ProtocolException(null, "message must be a JSON object like {\"min_red\":0.9}");
    }
    if (node == null || !node.isObject()) {
      throw new ProtocolException(null, "message must be a JSON object like {\"min_red\":0.9}");
    }
    if (isAuth(node)) {
      throw new ProtocolException(
          null, "the stream is already authenticated; a new token needs a new connection");
    }
    JsonNode value = node.get(MIN_RED);
    if (value == null || value.isNull()) {
      throw new ProtocolException(MIN_RED, "is required");
    }
    // Only a JSON number, never a string: JSON's number grammar is ASCII digits already.
    if (!value.isNumber()) {
      throw new ProtocolException(MIN_RED, "must be a number between 0 and 1");
    }
    if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
      throw new ProtocolException(MIN_RED, "must be a finite number between 0 and 1");
    }
    return toUnits(value.decimalValue());
  }

  private static int toUnits(BigDecimal fraction) {
    if (!Red.isFraction(fraction)) {
      throw new ProtocolException(MIN_RED, AsciiNumbers.NOT_A_FRACTION);
    }
    return Red.toUnits(fraction);
  }
}
