package io.redstats.red.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.red.TestImages;
import io.redstats.red.it.IngestStub;
import io.redstats.red.it.RedClient;
import io.redstats.red.it.RedClient.Reply;
import io.redstats.testsupport.FreePorts;
import io.redstats.testsupport.RealServers;
import io.redstats.testsupport.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RED as it runs in production — its own JVM with a 384 MB heap that exits on OutOfMemoryError —
 * fed images that pass every size and pixel check but decode to more than the heap holds, alone or
 * together: it answers 413 or 503 with the JSON error and stays up.
 */
class DecodeMemoryIT {

  /** What {@code ./redstats up} gives every service. */
  private static final List<String> PRODUCTION_JVM =
      List.of("-Xmx384m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1");

  private static final int CONCURRENT = 4;

  private static final IngestStub INGEST = IngestStub.start();
  private static final int PORT = FreePorts.next();
  private static ServiceProcess red;

  @BeforeAll
  static void startRed() {
    RealServers servers = RealServers.shared();
    Map<String, String> p = new HashMap<>();
    p.put("server.port", Integer.toString(PORT));
    p.put("spring.datasource.url", servers.postgresJdbcUrl("red_decode_memory_it"));
    p.put("spring.datasource.username", servers.postgresUser());
    p.put("spring.datasource.password", servers.postgresPassword());
    p.put("redstats.security.jwt-secret", RedClient.SECRET);
    p.put("redstats.red.ingest-urls", INGEST.url());
    red =
        ServiceProcess.start(
            "red-service",
            ServiceProcess.packagedJar("red-service"),
            p,
            Duration.ofMinutes(3),
            PRODUCTION_JVM);
  }

  @AfterAll
  static void stopRed() {
    if (red != null) {
      red.close();
    }
    INGEST.close();
  }

  @Test
  void sixteenBitImageLargerThanTheHeapIsRefusedAndRedStaysUp() {
    // Given a 7000×7000 16-bit RGBA PNG: a few hundred KB, 49 M pixels (under the limit), 392 MB
    // decoded
    byte[] png = TestImages.bigRgbaPng(7000, 7000, 16);
    assertThat(png.length).isLessThan(2_000_000);

    // When it is uploaded
    Reply reply = RedClient.forClient(PORT, 41).upload(png, "image/png");

    // Then it is refused with 413 naming the decode budget, and RED still measures images
    assertThat(reply.status()).as(red.tail()).isEqualTo(413);
    assertThat(reply.errorMessage()).contains("redstats.red.image.decode-budget");
    assertRedStillWorks();
  }

  @Test
  void concurrentLargeImagesWaitForTheBudgetOrGet503AndRedStaysUp() throws Exception {
    // Given 7000×7000 8-bit RGBA PNGs, 196 MB each decoded: one fits in the heap, two do not
    byte[] png = TestImages.bigRgbaPng(7000, 7000, 8);
    RedClient client = RedClient.forClient(PORT, 42);

    // When several are uploaded at once
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
    List<CompletableFuture<Reply>> replies = new ArrayList<>();
    try {
      for (int i = 0; i < CONCURRENT; i++) {
        replies.add(CompletableFuture.supplyAsync(() -> client.upload(png, "image/png"), pool));
      }
      // Then each is measured, or refused with 503 and Retry-After — never a crash
      for (CompletableFuture<Reply> future : replies) {
        Reply reply = future.get();
        assertThat(reply.status()).as(red.tail()).isIn(201, 503);
        if (reply.status() == 503) {
          assertThat(reply.retryAfter()).isNotNull();
          assertThat(reply.errorMessage()).contains("retry later");
        } else {
          assertThat(reply.json().get("red").decimalValue()).isEqualByComparingTo("1");
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(replies.stream().map(CompletableFuture::join).map(Reply::status)).contains(201);
    assertRedStillWorks();
  }

  private static void assertRedStillWorks() {
    assertThat(red.running()).as(red.tail()).isTrue();
    Reply small = RedClient.forClient(PORT, 43).upload(TestImages.png(40, 10, 10), "image/png");
    assertThat(small.status()).isEqualTo(201);
    assertThat(small.json().get("red").decimalValue()).isEqualByComparingTo("0.25");
  }
}
