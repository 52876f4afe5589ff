package io.redstats.notifier.socket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The query parameters of a handshake, decoded strictly: every percent-escape well formed and the
 * decoded bytes valid UTF-8, or a {@link ProtocolException} naming the parameter (a 400).
 *
 * <p>Hand-written because neither ready decoder refuses cleanly: the servlet's {@code getParameter}
 * throws from Tomcat's parameter parsing on bytes that are not UTF-8, which Spring turns into a 500
 * ({@code HandshakeFailureException}), and the JDK's {@code URLDecoder} and Spring's {@code
 * UriUtils} replace such bytes with U+FFFD instead of refusing them.
 *
 * <p>Same reading as the servlet otherwise: {@code +} is a space, a name without {@code =} has an
 * empty value, and the first of repeated names wins.
 */
final class QueryParameters {

  private final Map<String, String> values;

  private QueryParameters(Map<String, String> values) {
    this.values = values;
  }

  /**
   * @param rawQuery the query as sent, still percent-encoded; null when there is none
   * @throws ProtocolException when a name or value is not percent-encoded UTF-8
   */
  static QueryParameters parse(String rawQuery) {
    Map<String, String> values = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return new QueryParameters(values);
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String rawName = eq < 0 ? pair : pair.substring(0, eq);
      String name = decode(rawName, null);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name);
      values.putIfAbsent(name, value);
    }
    return new QueryParameters(values);
  }

  /** The decoded value, or null when the parameter is absent. */
  String get(String name) {
    return values.get(name);
  }

  /**
   * @param field the parameter the component is the value of, for the error; null for a name
   */
  private static String decode(String component, String field) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(component.length());
    for (int i = 0; i < component.length(); i++) {
      char c = component.charAt(i);
      if (c == '%') {
        int high = i + 1 < component.length() ? Character.digit(component.charAt(i + 1), 16) : -1;
        int low = i + 2 < component.length() ? Character.digit(component.charAt(i + 2), 16) : -1;
        if (high < 0 || low < 0 || !isAscii(component.charAt(i + 1), component.charAt(i + 2))) {
          throw refusal(field, "has a malformed percent-escape");
        }
        bytes.write(high << 4 | low);
        i += 2;
      } else if (c == '+') {
        bytes.write(' ');
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        // Unescaped non-ASCII never comes through nginx or Tomcat's request-line parser; if it
        // does, it is taken as the character it reads as.
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw refusal(field, "is not valid UTF-8 once percent-decoded");
    }
  }

  private static boolean isAscii(char high, char low) {
    // Character.digit also takes fullwidth and other non-ASCII hex digits.
    return high < 0x80 && low < 0x80;
  }

  private static ProtocolException refusal(String field, String problem) {
    return field == null
        ? new ProtocolException(null, "a query parameter name " + problem)
        : new ProtocolException(field, problem);
  }
}
