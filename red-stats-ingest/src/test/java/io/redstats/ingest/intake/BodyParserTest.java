package io.redstats.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstats.contract.event.EventValidator;
import io.redstats.contract.event.FieldError;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.TimestampWindow;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

class BodyParserTest {

  private static final TimestampWindow WINDOW =
      new TimestampWindow(
          TimestampWindow.DEFAULT_EARLIEST,
          TimestampWindow.DEFAULT_MAX_FUTURE_SKEW,
          Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC));

  private static final String VALID =
      "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.85}";

  private final BodyParser parser = new BodyParser(3, WINDOW);

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<FieldError> errorsOf(Runnable parse) {
    try {
      parse.run();
    } catch (RefusedException e) {
      return e.errors();
    }
    throw new AssertionError("expected a refusal");
  }

  @Test
  void singleObjectIsOneEvent() {
    assertThat(parser.parseJson(bytes(VALID)))
        .containsExactly(new StatEvent(1, 7, 1_763_900_000_123L, 85_000));
  }

  @Test
  void repeatedKeyIsRefusedNamingTheKey() {
    String twice =
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.1,\"red\":0.9}";

    for (List<FieldError> errors :
        List.of(
            errorsOf(() -> parser.parseJson(bytes(twice))),
            errorsOf(() -> parser.parseJson(bytes("[" + VALID + "," + twice + "]"))),
            errorsOf(() -> parser.parseNdjson(bytes(VALID + "\n" + twice))))) {
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0).message()).contains("\"red\"").containsIgnoringCase("duplicate");
    }
  }

  @Test
  void arrayIsABatch() {
    assertThat(parser.parseJson(bytes("[" + VALID + ", " + VALID.replace(":1,", ":2,") + "]")))
        .extracting(StatEvent::imageId)
        .containsExactly(1L, 2L);
  }

  @Test
  void ndjsonSkipsBlankLines() {
    assertThat(parser.parseNdjson(bytes(VALID + "\n\n \r\n" + VALID + "\r\n"))).hasSize(2);
  }

  @Test
  void invalidItemsAreNamedByIndexInArraysAndNdjson() {
    String bad = "{\"image_id\":2,\"client_id\":7,\"timestamp\":1763900000123}";

    assertThat(errorsOf(() -> parser.parseJson(bytes("[" + VALID + ",\n " + bad + "]"))))
        .containsExactly(FieldError.of(1, "red", "is required"));
    assertThat(errorsOf(() -> parser.parseNdjson(bytes(VALID + "\n\n" + VALID + "\n" + bad))))
        .containsExactly(FieldError.of(2, "red", "is required"));
    assertThat(errorsOf(() -> parser.parseJson(bytes(bad))))
        .containsExactly(FieldError.of(null, "red", "is required"));
  }

  @Test
  void aTimestampInNeitherFormIsRefusedNamingBothForms() {
    String noOffset =
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":\"2026-11-23T10:00:00\",\"red\":1}";

    assertThat(errorsOf(() -> parser.parseJson(bytes(noOffset))))
        .containsExactly(
            FieldError.of(
                null,
                "timestamp",
                "must be epoch milliseconds or an ISO-8601 date-time with an offset,"
                    + " like 2026-11-23T10:00:00.123+08:00"));
  }

  /** The fast path must accept exactly what the contract's validator accepts, with its event. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.85}",
        "{\"red\":0.85,\"timestamp\":1763900000123,\"client_id\":7,\"image_id\":1,\"x\":[1,{}]}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":\"2026-11-23T10:00:00.123+08:00\",\"red\":1}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":\"2026-11-23T10:00:00.123\",\"red\":1}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":\"2026-11-23t02:00:00z\",\"red\":1}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":\"+0000002026-11-23T10:00:00.123456789+08:00:00\",\"red\":1}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":\"2026-11-23T10:00:00+08:00\\u2028\",\"red\":1}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":\"\\u0662026-11-23T10:00:00+08:00\",\"red\":1}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":\"1763900000123\",\"red\":1}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.0}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.5}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.00001}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.12345}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.99999}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":1.0}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":1.00000}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":1.5}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.5E1}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.1234500}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":1.0000049}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":1.00001}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.000005}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.850005}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":1e-7}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":-0.0}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":-0.1}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":2}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":1e400}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":\"0.5\"}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":null}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":{\"v\":1}}",
        "{\"image_id\":0,\"client_id\":-1,\"timestamp\":1763900000123,\"red\":0.5}",
        "{\"image_id\":1.0,\"client_id\":\"7\",\"timestamp\":1763900000123,\"red\":0.5}",
        "{\"image_id\":9223372036854775807,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.5}",
        "{\"image_id\":9223372036854775808,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.5}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":946684799999,\"red\":0.5}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":946684800000,\"red\":0.5}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1795694400000,\"red\":0.5}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1795694400001,\"red\":0.5}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":99999999999999999999,\"red\":0.5}",
        "{\"image_id\":1,\"client_id\":7,\"timestamp\":1.7639e12,\"red\":0.5}",
        "{\"imageId\":1,\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.5}",
        "{}",
        "[1]",
        "[\"x\", null]"
      })
  void fastPathAgreesWithTheContractValidator(String json) {
    boolean array = json.startsWith("[");
    List<Object> expected = new java.util.ArrayList<>();
    List<FieldError> expectedErrors = new java.util.ArrayList<>();
    EventValidator validator = new EventValidator(WINDOW);
    var tree = JsonMapper.builder().build().readTree(json);
    List<tools.jackson.databind.JsonNode> nodes =
        array ? tree.valueStream().toList() : List.of(tree);
    for (int i = 0; i < nodes.size(); i++) {
      EventValidator.Result result = validator.validate(nodes.get(i), array ? i : null);
      if (result.valid()) {
        expected.add(result.event());
      } else {
        expectedErrors.addAll(result.errors());
      }
    }

    if (expectedErrors.isEmpty()) {
      assertThat(parser.parseJson(bytes(json))).isEqualTo(expected);
    } else {
      assertThat(errorsOf(() -> parser.parseJson(bytes(json)))).isEqualTo(expectedErrors);
    }
  }

  @Test
  void malformedJsonNamesLineAndColumn() {
    assertThatThrownBy(() -> parser.parseJson(bytes("[{},\n {\"a\": }]")))
        .isInstanceOfSatisfying(
            RefusedException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
              assertThat(e.errors().get(0).message()).contains("line 2, column");
            });
  }

  @Test
  void malformedNdjsonNamesTheLine() {
    assertThatThrownBy(() -> parser.parseNdjson(bytes("{}\n{}\n{oops}\n")))
        .isInstanceOfSatisfying(
            RefusedException.class,
            e -> assertThat(e.errors().get(0).message()).contains("line 3, column 2"));
  }

  @Test
  void trailingGarbageIsMalformed() {
    assertThatThrownBy(() -> parser.parseJson(bytes("{} {}")))
        .isInstanceOfSatisfying(
            RefusedException.class,
            e -> assertThat(e.errors().get(0).message()).contains("line 1, column 4"));
    assertThatThrownBy(() -> parser.parseNdjson(bytes(VALID + "\n" + VALID + " {}\n")))
        .isInstanceOfSatisfying(
            RefusedException.class,
            e -> assertThat(e.errors().get(0).message()).contains("line 2"));
  }

  /** The bytes of {@code template} (UTF-8) with its one {@code @} replaced by {@code hex}. */
  private static byte[] splice(String template, String hex) {
    int at = template.indexOf('@');
    byte[] before = bytes(template.substring(0, at));
    byte[] seq = HexFormat.of().parseHex(hex);
    byte[] after = bytes(template.substring(at + 1));
    byte[] body = new byte[before.length + seq.length + after.length];
    System.arraycopy(before, 0, body, 0, before.length);
    System.arraycopy(seq, 0, body, before.length, seq.length);
    System.arraycopy(after, 0, body, before.length + seq.length, after.length);
    return body;
  }

  private static void assertNotUtf8At(Runnable parse, int offset) {
    assertThatThrownBy(parse::run)
        .isInstanceOfSatisfying(
            RefusedException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
              assertThat(e.errors())
                  .extracting(FieldError::message)
                  .containsExactly(
                      "the body is not valid UTF-8 at byte " + offset + "; send UTF-8 JSON");
            });
  }

  // Overlong "/", a UTF-16 surrogate, beyond U+10FFFF: Jackson lets each through in a field it
  // skips (and decodes the first and last without complaint); plus a lone continuation byte, a
  // truncated sequence and a byte never used in UTF-8.
  @ParameterizedTest
  @ValueSource(strings = {"c0af", "eda080", "f4908080", "80", "e282", "ff"})
  void invalidUtf8AnywhereRefusesTheWholeBody(String hex) {
    String unknown = VALID.replace("{", "{\"note\":\"a@b\",");
    String known = VALID.replace("1763900000123", "\"2025-11-23T12:13:20@Z\"");
    int inUnknown = unknown.indexOf('@');
    int inKnown = known.indexOf('@');

    assertNotUtf8At(() -> parser.parseJson(splice(unknown, hex)), inUnknown);
    assertNotUtf8At(() -> parser.parseJson(splice(known, hex)), inKnown);
    assertNotUtf8At(() -> parser.parseJson(splice("[" + unknown + "]", hex)), inUnknown + 1);
    int line2 = VALID.length() + 1;
    assertNotUtf8At(
        () -> parser.parseNdjson(splice(VALID + "\n" + unknown, hex)), line2 + inUnknown);
    assertNotUtf8At(() -> parser.parseNdjson(splice(VALID + "\n" + known, hex)), line2 + inKnown);
  }

  @Test
  void validMultiByteUtf8InAnUnknownFieldIsAccepted() {
    // 2, 3 and 4 bytes: U+00E9, U+20AC, U+10FFFF (the last code point there is)
    String body = VALID.replace("{", "{\"note\":\"\u00e9\u20ac\udbff\udfff\",");

    assertThat(parser.parseJson(bytes(body))).hasSize(1);
    assertThat(parser.parseNdjson(bytes(body + "\n" + body))).hasSize(2);
  }

  @Test
  void emptyBodyIsRefused() {
    assertThatThrownBy(() -> parser.parseJson(new byte[0]))
        .isInstanceOfSatisfying(
            RefusedException.class, e -> assertThat(e.errors().get(0).message()).contains("empty"));
    assertThatThrownBy(() -> parser.parseNdjson(bytes("\n \n")))
        .isInstanceOfSatisfying(
            RefusedException.class, e -> assertThat(e.errors().get(0).message()).contains("empty"));
  }

  @Test
  void batchOverTheLimitIsTooLarge() {
    assertThatThrownBy(() -> parser.parseJson(bytes("[{},{},{},{}]")))
        .isInstanceOfSatisfying(
            RefusedException.class,
            e -> assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
    assertThatThrownBy(() -> parser.parseNdjson(bytes("{}\n{}\n{}\n{}\n")))
        .isInstanceOfSatisfying(
            RefusedException.class,
            e -> assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
  }

  /**
   * NDJSON is read with one parser when the body is valid and line by line otherwise: both must
   * give the same events, or the same refusal.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "@\n@\n",
        "@\n\n  \n@",
        "@\r\n@\r\n",
        "@\r@\n",
        "@ @\n",
        "@@\n",
        "@ 5\n",
        "{\"image_id\":1,\n\"client_id\":7,\"timestamp\":1763900000123,\"red\":0.85}\n",
        "@\n[1]\n",
        "@\n{\"image_id\":2,\"client_id\":7,\"timestamp\":1763900000123,\"red\":2}\n",
        "@\n{\"image_id\":2,\"client_id\":7,\"timestamp\":\"2026-11-23T10:00:00Z\",\"red\":1}",
        "@\n{oops}\n",
        "@\n@\n@\n@\n",
        "@\n@\n@\n\n",
        "\n\n",
        "  @  \n\t@\t"
      })
  void ndjsonInOneParserAgreesWithLineByLine(String template) {
    String body = template.replace("@", VALID);
    Object byLine = outcome(() -> parser.parseNdjsonByLine(bytes(body)));
    assertThat(outcome(() -> parser.parseNdjson(bytes(body)))).isEqualTo(byLine);
    boolean validOneALine = byLine instanceof List<?> l && l.get(0) instanceof StatEvent;
    if (validOneALine && !body.contains("\r")) {
      assertThat(parser.parseValidNdjson(bytes(body)))
          .as("the fast path took it")
          .isEqualTo(byLine);
    }
  }

  /** The events, or the refusal's status and errors. */
  private static Object outcome(java.util.function.Supplier<List<StatEvent>> parse) {
    try {
      return parse.get();
    } catch (RefusedException e) {
      return List.of(e.status(), e.errors());
    }
  }
}
