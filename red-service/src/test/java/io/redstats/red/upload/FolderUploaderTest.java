package io.redstats.red.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderUploaderTest {

  @Test
  void defaultGlobFindsImagesRecursivelyInAnyCase(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("deep/er"));
    Files.writeString(dir.resolve("a.png"), "x");
    Files.writeString(dir.resolve("deep/b.JPG"), "x");
    Files.writeString(dir.resolve("deep/er/c.webp"), "x");
    Files.writeString(dir.resolve("deep/readme.txt"), "x");

    assertThat(FolderUploader.files(dir, FolderUploader.DEFAULT_GLOB))
        .extracting(p -> dir.relativize(p).toString())
        .containsExactly("a.png", "deep/b.JPG", "deep/er/c.webp");
  }

  @Test
  void customGlobSelectsRelativePaths(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("keep"));
    Files.writeString(dir.resolve("keep/a.png"), "x");
    Files.writeString(dir.resolve("b.png"), "x");

    assertThat(FolderUploader.files(dir, "keep/*.png"))
        .extracting(p -> dir.relativize(p).toString())
        .containsExactly("keep/a.png");
  }

  @Test
  void keyDependsOnContentOnly() {
    byte[] one = "same bytes".getBytes(StandardCharsets.UTF_8);
    byte[] two = "same bytes".getBytes(StandardCharsets.UTF_8);

    assertThat(FolderUploader.idempotencyKey(one))
        .isEqualTo(FolderUploader.idempotencyKey(two))
        .startsWith("sha256-")
        .hasSize(7 + 64);
    assertThat(FolderUploader.idempotencyKey("other".getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(FolderUploader.idempotencyKey(one));
  }

  @Test
  void progressLineShowsCountRateAndEta() {
    Progress progress = new Progress(System.err, false, 100);

    String line = progress.line(25, Duration.ofSeconds(5).toNanos());

    assertThat(line)
        .contains("25/100")
        .contains("25.0%")
        .contains("5.0 img/s")
        .contains("ETA 00:15");
  }

  @Test
  void durationsReadLikeSpringProperties() {
    RedUploadCli.DurationConverter converter = new RedUploadCli.DurationConverter();

    assertThat(converter.convert("60s")).isEqualTo(Duration.ofSeconds(60));
    assertThat(converter.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(converter.convert("PT3S")).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void rateLimiterSpacesStarts() throws Exception {
    RateLimiter limiter = new RateLimiter(50);
    long start = System.nanoTime();
    for (int i = 0; i < 11; i++) {
      limiter.acquire();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(190));
  }
}
