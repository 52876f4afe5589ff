package io.redstats.red.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redstats.contract.auth.Scopes;
import io.redstats.contract.auth.TokenMinter;
import io.redstats.contract.event.StatEvent;
import io.redstats.red.TestImages;
import io.redstats.red.it.IngestStub;
import io.redstats.red.it.RedClient;
import io.redstats.red.it.RedTestProperties;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The red-upload CLI against a running RED with a real PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RedUploadCliIT {

  private static final IngestStub INGEST = IngestStub.start();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    RedTestProperties.register(registry, "red_upload_cli_it", List.of(INGEST.url()));
  }

  @AfterAll
  static void stopStub() {
    INGEST.close();
  }

  @LocalServerPort int port;

  @Autowired JdbcClient jdbc;

  @Test
  void secondRunUploadsNothingNewAndFailuresGiveANonZeroExit(@TempDir Path dir) throws Exception {
    // Given six images (two in a sub-folder), a corrupt one, and a text file
    for (int i = 0; i < 6; i++) {
      Path folder = i < 4 ? dir : dir.resolve("sub");
      Files.createDirectories(folder);
      Files.write(folder.resolve("img" + i + ".PNG"), TestImages.uniquePng(100 + i));
    }
    byte[] png = TestImages.png(30, 30, 3);
    Files.write(dir.resolve("broken.png"), TestImages.truncated(png, png.length / 2));
    Files.writeString(dir.resolve("notes.txt"), "not an image");

    // When uploaded
    Run first = run(71, dir);

    // Then six are new, the corrupt one failed and is named, and the exit code says so
    assertThat(first.exit()).isEqualTo(1);
    assertThat(first.out()).containsPattern("uploaded \\(new\\)\\s+6").contains("broken.png");
    assertThat(first.out()).containsPattern("422\\s+broken.png\\s+corrupt or truncated png");
    assertThat(rowsOf(71)).isEqualTo(6);

    // When the same folder is uploaded again
    Run second = run(71, dir);

    // Then nothing is new
    assertThat(second.out())
        .containsPattern("uploaded \\(new\\)\\s+0")
        .containsPattern("already uploaded\\s+6");
    assertThat(rowsOf(71)).isEqualTo(6);
  }

  @Test
  void twoRunsAtOnceOverOverlappingFoldersUploadEachImageOnce(@TempDir Path root) throws Exception {
    // Given images 0..14, folder a holding 0..9 and folder b holding 5..14
    Path a = Files.createDirectories(root.resolve("a"));
    Path b = Files.createDirectories(root.resolve("b"));
    for (int i = 0; i < 15; i++) {
      byte[] image = TestImages.uniquePng(200 + i);
      if (i < 10) {
        Files.write(a.resolve("a" + i + ".png"), image);
      }
      if (i >= 5) {
        Files.write(b.resolve("b" + i + ".png"), image);
      }
    }

    // When both folders are uploaded at the same time
    CompletableFuture<Run> runA = CompletableFuture.supplyAsync(() -> run(72, a));
    CompletableFuture<Run> runB = CompletableFuture.supplyAsync(() -> run(72, b));

    // Then both succeed, and RED holds and delivers each of the 15 images once
    assertThat(runA.get().exit()).isZero();
    assertThat(runB.get().exit()).isZero();
    assertThat(rowsOf(72)).isEqualTo(15);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                jdbc.sql(
                            "SELECT count(*) FROM images WHERE client_id = 72"
                                + " AND delivery_status = 'delivered'")
                        .query(Long.class)
                        .single()
                    == 15);
    var delivered =
        INGEST.acceptedEvents().stream()
            .filter(e -> e.clientId() == 72)
            .collect(Collectors.groupingBy(StatEvent::imageId, Collectors.counting()));
    assertThat(delivered).hasSize(15).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
  }

  @Test
  void missingTokenIsAUsageError(@TempDir Path dir) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        RedUploadCli.run(
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err),
            "--url",
            "http://127.0.0.1:" + port,
            "--token",
            "",
            dir.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("token");
  }

  record Run(int exit, String out) {}

  private Run run(long clientId, Path dir) {
    String token =
        new TokenMinter(RedClient.SECRET)
            .mint("cli", clientId, List.of(Scopes.UPLOAD), Duration.ofMinutes(10));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        RedUploadCli.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream()),
            "--url",
            "http://127.0.0.1:" + port,
            "--token",
            token,
            "--concurrency",
            "3",
            "--rate",
            "200",
            dir.toString());
    return new Run(exit, out.toString(StandardCharsets.UTF_8));
  }

  private long rowsOf(long clientId) {
    return jdbc.sql("SELECT count(*) FROM images WHERE client_id = ?")
        .param(clientId)
        .query(Long.class)
        .single();
  }
}
