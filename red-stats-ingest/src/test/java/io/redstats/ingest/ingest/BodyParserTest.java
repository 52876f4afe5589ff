package io.redstats.ingest.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class BodyParserTest {

  private final BodyParser parser = new BodyParser(3);

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void singleObjectIsOneItemWithoutIndex() {
    BodyParser.Items items = parser.parseJson(bytes("{\"image_id\":1}"));

    assertThat(items.single()).isTrue();
    assertThat(items.nodes()).hasSize(1);
  }

  @Test
  void arrayIsABatch() {
    BodyParser.Items items = parser.parseJson(bytes("[{}, {}]"));

    assertThat(items.single()).isFalse();
    assertThat(items.nodes()).hasSize(2);
  }

  @Test
  void ndjsonSkipsBlankLines() {
    BodyParser.Items items = parser.parseNdjson(bytes("{}\n\n{}\n"));

    assertThat(items.nodes()).hasSize(2);
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
            e -> assertThat(e.errors().get(0).message()).contains("line 3, column"));
  }

  @Test
  void trailingGarbageIsMalformed() {
    assertThatThrownBy(() -> parser.parseJson(bytes("{} {}"))).isInstanceOf(RefusedException.class);
  }

  @Test
  void emptyBodyIsRefused() {
    assertThatThrownBy(() -> parser.parseJson(new byte[0]))
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
        .isInstanceOf(RefusedException.class);
  }
}
