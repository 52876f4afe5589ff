package io.redstats.red.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class UploadBodyTest {

  @Test
  void readsABodyOfUnknownLengthUpToTheLimit() throws Exception {
    byte[] data = new byte[200_000];
    data[199_999] = 7;

    UploadBody body = UploadBody.read(new ByteArrayInputStream(data), -1, 200_000);

    assertThat(body.length()).isEqualTo(200_000);
    assertThat(body.bytes()[199_999]).isEqualTo((byte) 7);
  }

  @Test
  void declaredLengthOverTheLimitIsRefusedWithoutReading() {
    InputStream neverRead =
        new InputStream() {
          @Override
          public int read() {
            throw new AssertionError("must not read");
          }
        };

    assertThatThrownBy(() -> UploadBody.read(neverRead, 1001, 1000))
        .isInstanceOfSatisfying(
            ImageRejectedException.class,
            e -> assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
  }

  @Test
  void undeclaredBodyOverTheLimitIsRefusedAfterOneByteMore() {
    assertThatThrownBy(() -> UploadBody.read(new ByteArrayInputStream(new byte[5000]), -1, 4999))
        .isInstanceOf(ImageRejectedException.class);
  }

  @Test
  void bodyLongerThanItsDeclaredLengthStillObeysTheLimit() {
    assertThatThrownBy(() -> UploadBody.read(new ByteArrayInputStream(new byte[3000]), 10, 2000))
        .isInstanceOf(ImageRejectedException.class);
  }
}
