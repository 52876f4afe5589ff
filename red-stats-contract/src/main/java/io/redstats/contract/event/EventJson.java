package io.redstats.contract.event;

import static io.redstats.contract.event.EventFields.CLIENT_ID;
import static io.redstats.contract.event.EventFields.IMAGE_ID;
import static io.redstats.contract.event.EventFields.RED;
import static io.redstats.contract.event.EventFields.TIMESTAMP;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The canonical JSON form of an event, as it travels in Kafka and to WebSocket clients: {@code
 * {"image_id":1,"client_id":7,"timestamp":1763900000123,"red":0.85000}} — timestamp in epoch
 * millis, red with exactly five decimals so reading it back gives the same units.
 *
 * <p>Every record of every topic goes through here (ingest writes it, the dedup reads and writes
 * it, the sink and every notifier node read it), so both directions avoid a JSON tree: the writer
 * prints the four fields straight into bytes (hand-written: the form is fixed and a general
 * serializer only adds work), the reader is Jackson's streaming parser.
 */
public final class EventJson {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private static final byte[] IMAGE_ID_PREFIX = ascii("{\"" + IMAGE_ID + "\":");
  private static final byte[] CLIENT_ID_PREFIX = ascii(",\"" + CLIENT_ID + "\":");
  private static final byte[] TIMESTAMP_PREFIX = ascii(",\"" + TIMESTAMP + "\":");
  private static final byte[] RED_PREFIX = ascii(",\"" + RED + "\":");

  /** The longest event: three 20-character longs, "1.00000", the names and punctuation. */
  private static final int MAX_LENGTH =
      IMAGE_ID_PREFIX.length
          + CLIENT_ID_PREFIX.length
          + TIMESTAMP_PREFIX.length
          + RED_PREFIX.length
          + 3 * 20
          + 7
          + 1;

  private EventJson() {}

  public static byte[] toBytes(StatEvent event) {
    byte[] out = new byte[MAX_LENGTH];
    int at = put(out, 0, IMAGE_ID_PREFIX);
    at = putLong(out, at, event.imageId());
    at = put(out, at, CLIENT_ID_PREFIX);
    at = putLong(out, at, event.clientId());
    at = put(out, at, TIMESTAMP_PREFIX);
    at = putLong(out, at, event.timestampMs());
    at = put(out, at, RED_PREFIX);
    at = putRed(out, at, event.redUnits());
    out[at++] = '}';
    return Arrays.copyOf(out, at);
  }

  public static String toJson(StatEvent event) {
    return new String(toBytes(event), StandardCharsets.US_ASCII);
  }

  /**
   * Reads an event this codec wrote; anything else is a corrupt record and throws. Fields it does
   * not know are skipped (a later version may add one); each of the four must be there once, the
   * ids and the timestamp as integers, red as a number.
   */
  public static StatEvent fromBytes(byte[] bytes) {
    try (JsonParser parser = MAPPER.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw corrupt("not a JSON object");
      }
      long imageId = 0;
      long clientId = 0;
      long timestampMs = 0;
      int redUnits = 0;
      int seen = 0;
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        int bit;
        switch (name) {
          case IMAGE_ID -> {
            imageId = integer(parser, value, name);
            bit = 1;
          }
          case CLIENT_ID -> {
            clientId = integer(parser, value, name);
            bit = 2;
          }
          case TIMESTAMP -> {
            timestampMs = integer(parser, value, name);
            bit = 4;
          }
          case RED -> {
            if (value != JsonToken.VALUE_NUMBER_FLOAT && value != JsonToken.VALUE_NUMBER_INT) {
              throw corrupt(name + " is not a number");
            }
            redUnits = redUnits(parser);
            bit = 8;
          }
          default -> {
            parser.skipChildren();
            bit = 0;
          }
        }
        if ((seen & bit) != 0) {
          throw corrupt(name + " appears twice");
        }
        seen |= bit;
      }
      if (token != JsonToken.END_OBJECT) {
        throw corrupt("not a JSON object");
      }
      if (parser.nextToken() != null) {
        throw corrupt("content after the object");
      }
      if (seen != 15) {
        throw corrupt("missing " + missing(seen));
      }
      return new StatEvent(imageId, clientId, timestampMs, redUnits);
    } catch (StreamReadException e) {
      throw new IllegalArgumentException("not a canonical event: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The canonical "d.ddddd" read digit by digit (no BigDecimal: this runs for every record on every
   * node); any other spelling of a number through {@link Red#toUnits}, as before.
   */
  private static int redUnits(JsonParser parser) {
    char[] text = parser.getStringCharacters();
    int from = parser.getStringOffset();
    if (parser.getStringLength() == Red.DECIMALS + 2 && text[from + 1] == '.') {
      int units = 0;
      boolean digits = true;
      for (int i = 0; i < Red.DECIMALS + 2; i++) {
        char c = text[from + i];
        if (i == 1) {
          continue;
        }
        digits &= c >= '0' && c <= '9';
        units = units * 10 + (c - '0');
      }
      if (digits) {
        return units;
      }
    }
    return Red.toUnits(parser.getDecimalValue());
  }

  private static long integer(JsonParser parser, JsonToken value, String name) {
    if (value != JsonToken.VALUE_NUMBER_INT) {
      throw corrupt(name + " is not an integer");
    }
    return parser.getLongValue();
  }

  private static String missing(int seen) {
    StringBuilder names = new StringBuilder();
    String[] all = {IMAGE_ID, CLIENT_ID, TIMESTAMP, RED};
    for (int i = 0; i < all.length; i++) {
      if ((seen & (1 << i)) == 0) {
        names.append(names.length() == 0 ? "" : ", ").append(all[i]);
      }
    }
    return names.toString();
  }

  private static IllegalArgumentException corrupt(String why) {
    return new IllegalArgumentException("not a canonical event: " + why);
  }

  private static int put(byte[] out, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, out, at, bytes.length);
    return at + bytes.length;
  }

  private static int putLong(byte[] out, int at, long value) {
    if (value == Long.MIN_VALUE) {
      return put(out, at, ascii(Long.toString(value)));
    }
    if (value < 0) {
      out[at++] = '-';
      value = -value;
    }
    int digits = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      digits++;
    }
    for (int i = at + digits - 1; i >= at; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return at + digits;
  }

  /** Units as a plain decimal with exactly {@link Red#DECIMALS} places: 85000 → 0.85000. */
  private static int putRed(byte[] out, int at, int units) {
    at = putLong(out, at, units / Red.SCALE);
    out[at++] = '.';
    int fraction = units % Red.SCALE;
    for (int i = at + Red.DECIMALS - 1; i >= at; i--) {
      out[i] = (byte) ('0' + fraction % 10);
      fraction /= 10;
    }
    return at + Red.DECIMALS;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
