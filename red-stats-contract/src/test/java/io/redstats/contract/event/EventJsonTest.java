package io.redstats.contract.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class EventJsonTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** The form every earlier version wrote, through a Jackson tree: the bytes must not change. */
  private static byte[] throughTree(StatEvent event) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("image_id", event.imageId());
    node.put("client_id", event.clientId());
    node.put("timestamp", event.timestampMs());
    node.put("red", event.red());
    return MAPPER.writeValueAsBytes(node);
  }

  private static StatEvent read(String json) {
    return EventJson.fromBytes(json.getBytes(UTF_8));
  }

  @Test
  void writesTheDocumentedCanonicalForm() {
    assertThat(EventJson.toJson(new StatEvent(1, 7, 1_763_900_000_123L, 85_000)))
        .isEqualTo("{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.85000}");
    assertThat(EventJson.toJson(new StatEvent(Long.MAX_VALUE, Long.MAX_VALUE, 0, 0)))
        .isEqualTo(
            "{\"image_id\":9223372036854775807,\"client_id\":9223372036854775807,"
                + "\"timestamp\":0,\"red\":0.00000}");
    assertThat(EventJson.toJson(new StatEvent(10, 20, -1, 100_000)))
        .endsWith("\"timestamp\":-1,\"red\":1.00000}");
    assertThat(EventJson.toJson(new StatEvent(10, 20, 30, 1))).endsWith("\"red\":0.00001}");
  }

  @Test
  void writesTheSameBytesAsTheJacksonTreeAndReadsThemBack() {
    SplittableRandom random = new SplittableRandom(20261202);
    for (int i = 0; i < 20_000; i++) {
      long imageId = i < 100 ? i + 1 : random.nextLong(1, Long.MAX_VALUE);
      long clientId =
          random.nextBoolean() ? random.nextLong(1, 1000) : random.nextLong(1, Long.MAX_VALUE);
      long timestamp = random.nextLong(946_684_800_000L, 4_102_444_800_000L);
      int red = i % 7 == 0 ? (i % 2 == 0 ? 0 : Red.SCALE) : random.nextInt(0, Red.SCALE + 1);
      StatEvent event = new StatEvent(imageId, clientId, timestamp, red);

      byte[] bytes = EventJson.toBytes(event);

      assertThat(bytes).as("%s", event).isEqualTo(throughTree(event));
      assertThat(EventJson.fromBytes(bytes)).isEqualTo(event);
    }
  }

  @Test
  void readsAnyLayoutOfTheFourFieldsAndSkipsFieldsItDoesNotKnow() {
    assertThat(
            read(
                " { \"red\" : 0.5, \"future\": {\"a\": [1, {\"b\": null}]}, \"timestamp\": 3,"
                    + " \"client_id\": 2, \"note\": \"x\", \"image_id\": 1 } "))
        .isEqualTo(new StatEvent(1, 2, 3, 50_000));
    assertThat(read("{\"image_id\":1,\"client_id\":2,\"timestamp\":3,\"red\":1}"))
        .isEqualTo(new StatEvent(1, 2, 3, Red.SCALE));
    // Spellings other than the canonical d.ddddd: rounded half-up to units, as Red does.
    for (String red : new String[] {"0.850005", "8.5e-1", "0.8500", "85000e-5", "0.0000049"}) {
      assertThat(
              read("{\"image_id\":1,\"client_id\":2,\"timestamp\":3,\"red\":" + red + "}")
                  .redUnits())
          .as(red)
          .isEqualTo(Red.toUnits(new java.math.BigDecimal(red)));
    }
  }

  @Test
  void refusesWhatItDidNotWrite() {
    assertCorrupt("", "");
    assertCorrupt("[1,2]", "not a JSON object");
    assertCorrupt("{\"image_id\":1,\"client_id\":2,\"red\":0.5}", "missing timestamp");
    assertCorrupt("{}", "missing image_id, client_id, timestamp, red");
    assertCorrupt(
        "{\"image_id\":1.5,\"client_id\":2,\"timestamp\":3,\"red\":0.5}",
        "image_id is not an integer");
    assertCorrupt(
        "{\"image_id\":\"1\",\"client_id\":2,\"timestamp\":3,\"red\":0.5}",
        "image_id is not an integer");
    assertCorrupt(
        "{\"image_id\":1,\"client_id\":2,\"timestamp\":3,\"red\":\"0.5\"}", "red is not a number");
    assertCorrupt(
        "{\"image_id\":1,\"image_id\":9,\"client_id\":2,\"timestamp\":3,\"red\":0.5}",
        "image_id appears twice");
    assertCorrupt(
        "{\"image_id\":1,\"client_id\":2,\"timestamp\":3,\"red\":0.5} {}",
        "content after the object");
    assertCorrupt("{\"image_id\":1,\"client_id\":2,\"timestamp\":3,\"red\":0.5", "");
    assertCorrupt(
        "{\"image_id\":99999999999999999999,\"client_id\":2,\"timestamp\":3,\"red\":0.5}", "");
    assertThatThrownBy(() -> read("{\"image_id\":1,\"client_id\":2,\"timestamp\":3,\"red\":1.5}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertCorrupt(String json, String why) {
    assertThatThrownBy(() -> read(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a canonical event")
        .hasMessageContaining(why);
  }
}
