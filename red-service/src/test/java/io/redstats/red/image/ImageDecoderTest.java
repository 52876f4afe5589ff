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

  private final ImageDecoder decoder = decoder(50_000_000, DataSize.ofMegabytes(100));

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
    ImageDecoder strict = decoder(99, DataSize.ofMegabytes(100));
    byte[] png = TestImages.png(10, 10, 1);

    assertThatThrownBy(() -> strict.decode(body(png)))
        .isInstanceOfSatisfying(
            ImageRejectedException.class,
            e -> assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
  }

  @Test
  void sixteenBitImageNeedsEightBytesPerPixelAndIsRefusedOverTheBudgetBeforeDecoding() {
    // Given a 16-bit RGBA PNG of 2000×1000 (16 MB decoded) and a decode budget of 10 MB
    ImageDecoder small = decoder(50_000_000, DataSize.ofMegabytes(10));
    byte[] png = TestImages.bigRgbaPng(2000, 1000, 16);

    // When decoded, then it is refused with 413 naming the budget
    assertThatThrownBy(() -> small.decode(body(png)))
        .isInstanceOfSatisfying(
            ImageRejectedException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
              assertThat(e.getMessage())
                  .contains("2000×1000 png (8 bytes per pixel decoded)")
                  .contains("redstats.red.image.decode-budget");
            });
  }

  @Test
  void decodedImageHoldsItsBudgetUntilClosed() {
    // Given a budget that holds one 8-bit RGBA 1000×1000 image (4 MB) but not two
    DecodeBudget budget = new DecodeBudget(6_000_000);
    ImageDecoder tight =
        new ImageDecoder(
            new ImageLimits(
                DataSize.ofMegabytes(20),
                50_000_000,
                1,
                Duration.ofMillis(50),
                DataSize.ofBytes(budget.capacity())),
            budget);
    byte[] png = TestImages.bigRgbaPng(1000, 1000, 8);

    // When one is decoded and held, a second waits, then gets 503
    DecodedImage first = tight.decode(body(png));
    assertThat(budget.available()).isEqualTo(6_000_000 - 4_000_000 - 1000L * 64 * 4);
    assertThatThrownBy(() -> tight.decode(body(png)))
        .isInstanceOfSatisfying(
            ImageRejectedException.class,
            e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));

    // Then closing the first gives its bytes back and the second decodes
    first.close();
    assertThat(budget.available()).isEqualTo(6_000_000);
    try (DecodedImage second = tight.decode(body(png))) {
      assertThat(second.width()).isEqualTo(1000);
    }
    assertThat(budget.available()).isEqualTo(6_000_000);
  }

  @Test
  void corruptImageGivesItsBudgetBack() {
    DecodeBudget budget = new DecodeBudget(100_000_000);
    ImageDecoder counted =
        new ImageDecoder(
            new ImageLimits(
                DataSize.ofMegabytes(20),
                50_000_000,
                1,
                Duration.ofMillis(50),
                DataSize.ofBytes(budget.capacity())),
            budget);
    byte[] png = TestImages.png(64, 64, 10);

    assertThatThrownBy(() -> counted.decode(body(TestImages.truncated(png, png.length / 2))))
        .isInstanceOf(ImageRejectedException.class);
    assertThat(budget.available()).isEqualTo(100_000_000);
  }

  private static ImageDecoder decoder(long maxPixels, DataSize budget) {
    ImageLimits limits =
        new ImageLimits(DataSize.ofMegabytes(20), maxPixels, 1, Duration.ofSeconds(1), budget);
    return new ImageDecoder(limits, new DecodeBudget(limits));
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
