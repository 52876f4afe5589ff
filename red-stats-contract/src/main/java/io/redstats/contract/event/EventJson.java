package io.redstats.contract.event;

import static io.redstats.contract.event.EventFields.CLIENT_ID;
import static io.redstats.contract.event.EventFields.IMAGE_ID;
import static io.redstats.contract.event.EventFields.RED;
import static io.redstats.contract.event.EventFields.TIMESTAMP;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The canonical JSON form of an event, as it travels in Kafka and to WebSocket clients: {@code
 * {"image_id":1,"client_id":7,"timestamp":1763900000123,"red":0.85000}} — timestamp in epoch
 * millis, red with exactly five decimals so reading it back gives the same units.
 */
public final class EventJson {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private EventJson() {}

  public static ObjectNode toNode(StatEvent event) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put(IMAGE_ID, event.imageId());
    node.put(CLIENT_ID, event.clientId());
    node.put(TIMESTAMP, event.timestampMs());
    node.put(RED, event.red());
    return node;
  }

  public static byte[] toBytes(StatEvent event) {
    return MAPPER.writeValueAsBytes(toNode(event));
  }

  public static String toJson(StatEvent event) {
    return MAPPER.writeValueAsString(toNode(event));
  }

  /** Reads an event this codec wrote; anything else is a corrupt record and throws. */
  public static StatEvent fromBytes(byte[] bytes) {
    JsonNode node = MAPPER.readTree(bytes);
    return new StatEvent(
        node.required(IMAGE_ID).longValue(),
        node.required(CLIENT_ID).longValue(),
        node.required(TIMESTAMP).longValue(),
        Red.toUnits(node.required(RED).decimalValue()));
  }
}
