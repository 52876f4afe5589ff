package io.redstats.ingest.intake;

import static io.redstats.contract.event.EventFields.CLIENT_ID;
import static io.redstats.contract.event.EventFields.IMAGE_ID;
import static io.redstats.contract.event.EventFields.RED;
import static io.redstats.contract.event.EventFields.TIMESTAMP;

import io.redstats.contract.event.EventValidator;
import io.redstats.contract.event.FieldError;
import io.redstats.contract.event.InvalidValueException;
import io.redstats.contract.event.IsoTimestamps;
import io.redstats.contract.event.Red;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.TimestampWindow;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a request body — one JSON object, a JSON array of them, or NDJSON (one per line, blank
 * lines ignored) — into events, or refuses it: malformed JSON naming the line and column where it
 * broke, too many items, or every invalid item and field.
 *
 * <p>Why streaming: building a {@link JsonNode} tree per event and then walking it cost about as
 * much as Kafka's whole producer path for the same event. A valid event is read token by token
 * straight into a {@link StatEvent}. Any item this fast path does not accept as it stands (a
 * missing, null, repeated or out-of-range field, a non-integer id, a timestamp string that does not
 * parse, ...) is read again as a tree and handed to the contract's {@link EventValidator}, so every
 * refusal carries exactly the validator's messages and the fast path only has to agree with it on
 * what is valid — which {@code BodyParserTest} checks.
 *
 * <p>Why the body's UTF-8 is checked before Jackson reads it: Jackson does not decode the strings
 * it skips (unknown fields), and where it does decode it accepts overlong forms ({@code C0 AF} is
 * read as {@code /}) and sequences beyond U+10FFFF. A body that is not valid UTF-8 is not JSON (RFC
 * 8259, section 8.1), so it is refused whole.
 */
final class BodyParser {

  /**
   * Strict about repeated keys: {@code {"red":0.1,"red":0.9}} is refused rather than read as the
   * last one, which would store a value its sender may not have meant.
   */
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  /** Decoded chars per step of the UTF-8 check; they are thrown away, only errors matter. */
  private static final int UTF8_CHECK_CHARS = 4096;

  private static final int HAS_IMAGE_ID = 1;
  private static final int HAS_CLIENT_ID = 2;
  private static final int HAS_TIMESTAMP = 4;
  private static final int HAS_RED = 8;
  private static final int HAS_ALL = HAS_IMAGE_ID | HAS_CLIENT_ID | HAS_TIMESTAMP | HAS_RED;

  /** {@link #plainRedUnits}: the literal is not in the plain form. */
  private static final int NOT_PLAIN = -2;

  private final int maxItems;
  private final EventValidator validator;
  private final TimestampWindow window;

  BodyParser(int maxItems, TimestampWindow window) {
    this.maxItems = maxItems;
    this.window = window;
    this.validator = new EventValidator(window);
  }

  /** One JSON object (its errors have no index) or a JSON array of them. */
  List<StatEvent> parseJson(byte[] body) {
    requireUtf8(body);
    Items items = new Items(window);
    try (JsonParser parser = MAPPER.createParser(body)) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw RefusedException.malformed("the body is empty; send an event, an array or NDJSON");
      }
      if (token == JsonToken.START_ARRAY) {
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          checkCount(index + 1);
          readItem(parser, body, 0, index++, items);
        }
      } else {
        readItem(parser, body, 0, null, items);
      }
      requireEnd(parser, 0);
    } catch (JacksonException e) {
      throw malformed(e, 0);
    }
    return items.result();
  }

  /** One JSON object per line; blank lines are skipped; an item's index counts items, not lines. */
  List<StatEvent> parseNdjson(byte[] body) {
    requireUtf8(body);
    List<StatEvent> events = parseValidNdjson(body);
    return events != null ? events : parseNdjsonByLine(body);
  }

  /**
   * The fast path for a body of valid events: one parser reads the objects one after another
   * (Jackson reads a sequence of root values), instead of a parser per line. Returns null as soon
   * as anything is not a valid event alone on its line (a second value on a line, an object spread
   * over lines, a carriage return, an item the validator must judge, malformed JSON, too many
   * items); {@link #parseNdjsonByLine} then decides, and words every refusal. A parser per line
   * cost about an eighth of a batch's CPU on the node (creating it, and its buffers from Jackson's
   * pool).
   */
  List<StatEvent> parseValidNdjson(byte[] body) {
    for (byte b : body) {
      if (b == '\r') {
        return null; // Jackson counts a lone CR as a line break; the line-by-line path does not
      }
    }
    Items items = new Items(window);
    int lastLine = 0;
    try (JsonParser parser = MAPPER.createParser(body)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        int line = parser.currentTokenLocation().getLineNr();
        if (token != JsonToken.START_OBJECT
            || line == lastLine
            || items.events.size() >= maxItems) {
          return null;
        }
        StatEvent event = readValid(parser, items);
        if (event == null || parser.currentTokenLocation().getLineNr() != line) {
          return null;
        }
        items.add(event);
        lastLine = line;
      }
    } catch (JacksonException e) {
      return null;
    }
    return items.events.isEmpty() ? null : items.events;
  }

  /** NDJSON read a line at a time: the path that words the refusals. */
  List<StatEvent> parseNdjsonByLine(byte[] body) {
    Items items = new Items(window);
    int index = 0;
    int line = 0;
    for (int start = 0; start <= body.length; line++) {
      int end = start;
      while (end < body.length && body[end] != '\n') {
        end++;
      }
      if (!isBlank(body, start, end)) {
        checkCount(index + 1);
        try (JsonParser parser = MAPPER.createParser(body, start, end - start)) {
          parser.nextToken();
          readItem(parser, body, start, index++, items);
          requireEnd(parser, line);
        } catch (JacksonException e) {
          throw malformed(e, line);
        }
      }
      start = end + 1;
    }
    if (index == 0) {
      throw RefusedException.malformed("the body is empty; send one JSON event per line");
    }
    return items.result();
  }

  /**
   * Refuses a body that is not strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
   * beyond U+10FFFF), naming the offset of the first bad byte. The JDK's decoder is strict and has
   * an ASCII fast path, so this costs little next to parsing.
   */
  private static void requireUtf8(byte[] body) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body);
    // n bytes decode to at most n chars: a single event needs no 8 KB buffer
    CharBuffer out = CharBuffer.allocate(Math.max(1, Math.min(UTF8_CHECK_CHARS, body.length)));
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isError()) {
        throw RefusedException.malformed(
            "the body is not valid UTF-8 at byte " + in.position() + "; send UTF-8 JSON");
      }
      if (result.isUnderflow()) {
        return;
      }
      out.clear();
    }
  }

  private static boolean isBlank(byte[] body, int start, int end) {
    for (int i = start; i < end; i++) {
      byte b = body[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private void checkCount(int count) {
    if (count > maxItems) {
      throw RefusedException.tooLarge(
          "a request may carry at most " + maxItems + " events; split the batch");
    }
  }

  /**
   * Reads the item the parser stands on (its first token is current) and adds its event or its
   * errors. {@code base} is where the parser's input starts in {@code body}.
   */
  private void readItem(JsonParser parser, byte[] body, int base, Integer index, Items items) {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      parser.skipChildren();
      items.add(validator.validate(null, index));
      return;
    }
    long start = parser.currentTokenLocation().getByteOffset();
    StatEvent event = readValid(parser, items);
    if (event != null) {
      items.add(event);
      return;
    }
    long end = parser.currentLocation().getByteOffset();
    JsonNode node = MAPPER.readTree(body, base + (int) start, (int) (end - start));
    items.add(validator.validate(node, index));
  }

  /**
   * Reads the object the parser stands on to its end; returns its event when it is valid as it
   * stands, null when the validator must judge it.
   */
  private static StatEvent readValid(JsonParser parser, Items items) {
    long imageId = 0;
    long clientId = 0;
    long timestamp = 0;
    int red = -1;
    int seen = 0;
    boolean slow = false;
    String name;
    while ((name = parser.nextName()) != null) {
      JsonToken value = parser.nextToken();
      int field = fieldBit(name);
      if (field == 0) {
        parser.skipChildren();
        continue;
      }
      if ((seen & field) != 0) {
        slow = true; // a repeated field: the validator decides which one counts
      }
      seen |= field;
      switch (field) {
        case HAS_IMAGE_ID -> imageId = positiveLong(parser, value);
        case HAS_CLIENT_ID -> clientId = positiveLong(parser, value);
        case HAS_TIMESTAMP -> timestamp = timestamp(parser, value, items);
        default -> red = redUnits(parser, value);
      }
      parser.skipChildren();
    }
    if (!slow && seen == HAS_ALL && imageId > 0 && clientId > 0 && timestamp > 0 && red >= 0) {
      return new StatEvent(imageId, clientId, timestamp, red);
    }
    return null;
  }

  private static int fieldBit(String name) {
    return switch (name) {
      case IMAGE_ID -> HAS_IMAGE_ID;
      case CLIENT_ID -> HAS_CLIENT_ID;
      case TIMESTAMP -> HAS_TIMESTAMP;
      case RED -> HAS_RED;
      default -> 0;
    };
  }

  /** A positive 64-bit integer, or 0 when the value is anything else. */
  private static long positiveLong(JsonParser parser, JsonToken value) {
    if (value != JsonToken.VALUE_NUMBER_INT || !fitsLong(parser)) {
      return 0;
    }
    return Math.max(0, parser.getLongValue());
  }

  private static boolean fitsLong(JsonParser parser) {
    JsonParser.NumberType type = parser.getNumberType();
    return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
  }

  /** Epoch millis inside the request's window, or 0 for anything the validator should judge. */
  private static long timestamp(JsonParser parser, JsonToken value, Items items) {
    long millis;
    if (value == JsonToken.VALUE_NUMBER_INT && fitsLong(parser)) {
      millis = parser.getLongValue();
    } else if (value == JsonToken.VALUE_STRING) {
      try {
        millis = IsoTimestamps.epochMillis(parser.getString());
      } catch (InvalidValueException e) {
        return 0;
      }
    } else {
      return 0;
    }
    return millis >= items.earliestMs && millis <= items.latestMs && millis > 0 ? millis : 0;
  }

  /** Red units of a finite number in [0, 1], rounded like the validator does; else -1. */
  private static int redUnits(JsonParser parser, JsonToken value) {
    if (value == JsonToken.VALUE_NUMBER_FLOAT) {
      int plain = plainRedUnits(parser);
      if (plain != NOT_PLAIN) {
        return plain;
      }
      double red = parser.getDoubleValue();
      // The tree the validator reads holds a double too: same value, same rounding.
      return red >= 0 && red <= 1 ? Red.toUnits(red) : -1;
    }
    if (value == JsonToken.VALUE_NUMBER_INT && fitsLong(parser)) {
      long red = parser.getLongValue();
      return red == 0 || red == 1 ? (int) red * Red.SCALE : -1;
    }
    return -1;
  }

  /**
   * Red written as RED writes it, "0." or "1." and one to five decimals, read digit by digit: the
   * validator's double and rounding give the same units for these (such a literal is its double's
   * shortest decimal form, and no rounding happens), without formatting the double into a {@code
   * BigDecimal}, which cost about a twelfth of a batch's CPU. Above 1: -1. Any other spelling:
   * {@link #NOT_PLAIN}.
   */
  private static int plainRedUnits(JsonParser parser) {
    int length = parser.getStringLength();
    if (length < 3 || length > Red.DECIMALS + 2) {
      return NOT_PLAIN;
    }
    char[] text = parser.getStringCharacters();
    int from = parser.getStringOffset();
    char whole = text[from];
    if ((whole != '0' && whole != '1') || text[from + 1] != '.') {
      return NOT_PLAIN;
    }
    int units = whole - '0';
    for (int i = 2; i < Red.DECIMALS + 2; i++) {
      int digit = i < length ? text[from + i] - '0' : 0;
      if (digit < 0 || digit > 9) {
        return NOT_PLAIN;
      }
      units = units * 10 + digit;
    }
    return units <= Red.SCALE ? units : -1;
  }

  /** A JSON value must be followed by nothing but whitespace. */
  private static void requireEnd(JsonParser parser, int lineOffset) {
    if (parser.nextToken() != null) {
      throw RefusedException.malformed(
          where(parser.currentTokenLocation(), lineOffset)
              + "unexpected content after the value; send one event, one array, or one event a"
              + " line as NDJSON");
    }
  }

  private static RefusedException malformed(JacksonException e, int lineOffset) {
    return RefusedException.malformed(where(e.getLocation(), lineOffset) + e.getOriginalMessage());
  }

  /** {@code lineOffset} is added to the line number the location names (NDJSON: line index). */
  private static String where(TokenStreamLocation location, int lineOffset) {
    if (location == null || location == TokenStreamLocation.NA) {
      return "malformed JSON: ";
    }
    return "malformed JSON at line "
        + (location.getLineNr() + lineOffset)
        + ", column "
        + location.getColumnNr()
        + ": ";
  }

  /** The events and errors of one request, and its timestamp window in epoch millis. */
  private static final class Items {
    final List<StatEvent> events = new ArrayList<>();
    final List<FieldError> errors = new ArrayList<>();
    final long earliestMs;
    final long latestMs;

    Items(TimestampWindow window) {
      this.earliestMs = window.earliest().toEpochMilli();
      this.latestMs = window.clock().instant().plus(window.maxFutureSkew()).toEpochMilli();
    }

    void add(StatEvent event) {
      events.add(event);
    }

    void add(EventValidator.Result result) {
      if (result.valid()) {
        events.add(result.event());
      } else {
        errors.addAll(result.errors());
      }
    }

    List<StatEvent> result() {
      if (!errors.isEmpty()) {
        throw RefusedException.invalid(errors);
      }
      return events;
    }
  }
}
