package io.redstats.notifier.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ResumeTokenTest {

  @Test
  void tokenSurvivesEncodeAndDecode() {
    // Given positions with small and very large offsets
    ResumeToken token = ResumeToken.of(Map.of(0, 0L, 1, 127L, 2, 128L, 7, Long.MAX_VALUE));

    // When
    ResumeToken decoded = ResumeToken.decode(token.encode());

    // Then
    assertThat(decoded).isEqualTo(token);
    assertThat(decoded.positionOf(7)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void encodedTokenIsUrlSafe() {
    ResumeToken token = ResumeToken.of(Map.of(0, 987_654_321L, 1, 1L << 40, 3, 255L));

    assertThat(token.encode()).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void partitionTheTokenDoesNotNameStartsAtLogStart() {
    ResumeToken token = ResumeToken.of(Map.of(0, 5L));

    assertThat(token.positionOf(1)).isZero();
  }

  @Test
  void garbageIsRefused() {
    assertThatThrownBy(() -> ResumeToken.decode("not a token!"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResumeToken.decode("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResumeToken.decode("AQ")) // version 1, then nothing
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResumeToken.decode("Ag")) // unknown version 2
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void trailingBytesAreRefused() {
    String valid = ResumeToken.of(Map.of(0, 1L)).encode();
    String withTrailing =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(concat(java.util.Base64.getUrlDecoder().decode(valid), new byte[] {1}));

    assertThatThrownBy(() -> ResumeToken.decode(withTrailing))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
