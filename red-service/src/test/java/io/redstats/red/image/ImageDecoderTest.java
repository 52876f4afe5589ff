package io.redstats.red.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstats.red.TestImages;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

class ImageDecoderTest {

  private final ImageDecoder decoder =
      new ImageDecoder(
          new ImageLimits(DataSize.ofMegabytes(20), 50_000_000, 1, Duration.ofSeconds(1)));

  @ParameterizedTest
  @ValueSource(strings = {"png", "jpeg", "gif", "bmp"})
  void decodesEveryWritableFormatItSniffs(String format) {
    // Given a 20×10 image written as <format>
    byte[] bytes = TestImages.encode(TestImages.redColumns(20, 10, 5), format);

    // When decoded
    DecodedImage decoded = decoder.decode(body(bytes));

    // Then format and size come from the bytes
    assertThat(decoded.format().imageIoName()).isEqualTo(format);
    assertThat(decoded.width()).isEqualTo(20);
    assertThat(decoded.height()).isEqualTo(10);
  }

  @Test
  void webpReaderIsAvailable() {
    assertThat(javax.imageio.ImageIO.getImageReadersByFormatName("webp").hasNext()).isTrue();
  }

  @Test
  void emptyBodyIsBadRequest() {
    assertRefused(new byte[0], HttpStatus.BAD_REQUEST, "empty");
  }

  @Test
  void textIsNotAnImage() {
    assertRefused(
        "hello, this is not an image".getBytes(StandardCharsets.UTF_8),
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "not a supported image");
  }

  @Test
  void truncatedPngIsRefusedAsCorrupt() {
    byte[] png = TestImages.png(64, 64, 10);
    assertRefused(
        TestImages.truncated(png, png.length / 2), HttpStatus.UNPROCESSABLE_CONTENT, "png");
  }

  @Test
  void truncatedJpegIsRefusedAsCorrupt() {
    BufferedImage noisy = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    java.util.Random random = new java.util.Random(1);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        noisy.setRGB(x, y, random.nextInt());
      }
    }
    byte[] jpeg = TestImages.encode(noisy, "jpeg");
    assertRefused(
        TestImages.truncated(jpeg, jpeg.length / 2), HttpStatus.UNPROCESSABLE_CONTENT, "jpeg");
  }

  @Test
  void decompressionBombHeaderIsRefusedBeforeDecoding() {
    assertRefused(
        TestImages.pngHeader(100_000, 100_000), HttpStatus.CONTENT_TOO_LARGE, "100000×100000");
  }

  @Test
  void imageJustOverThePixelLimitIsRefused() {
    ImageDecoder strict =
        new ImageDecoder(new ImageLimits(DataSize.ofMegabytes(1), 99, 1, Duration.ofSeconds(1)));
    byte[] png = TestImages.png(10, 10, 1);

    assertThatThrownBy(() -> strict.decode(body(png)))
        .isInstanceOfSatisfying(
            ImageRejectedException.class,
            e -> assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
  }

  private void assertRefused(byte[] bytes, HttpStatus status, String messagePart) {
    assertThatThrownBy(() -> decoder.decode(body(bytes)))
        .isInstanceOfSatisfying(
            ImageRejectedException.class,
            e -> {
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.field()).isEqualTo("image");
              assertThat(e.getMessage()).contains(messagePart);
            });
  }

  private static UploadBody body(byte[] bytes) {
    return new UploadBody(bytes, bytes.length);
  }
}
