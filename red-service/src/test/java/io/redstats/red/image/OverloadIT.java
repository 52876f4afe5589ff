package io.redstats.red.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.red.TestImages;
import io.redstats.red.it.IngestStub;
import io.redstats.red.it.RedClient;
import io.redstats.red.it.RedClient.Reply;
import io.redstats.red.it.RedTestProperties;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** One decode slot and no patience: concurrent uploads beyond it get 503 + Retry-After. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "redstats.red.image.max-concurrent-decodes=1",
      "redstats.red.image.decode-queue-timeout=1ms"
    })
@DirtiesContext
class OverloadIT {

  private static final int CONCURRENT = 12;

  private static final IngestStub INGEST = IngestStub.start();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    RedTestProperties.register(registry, "red_overload_it", List.of(INGEST.url()));
  }

  @AfterAll
  static void stopStub() {
    INGEST.close();
  }

  @LocalServerPort int port;

  @Autowired JdbcClient jdbc;

  @Test
  void uploadsBeyondTheDecodeSlotsAreRefusedWith503AndStoreNothing() throws Exception {
    // Given a noisy 1-megapixel PNG (slow to decode) sent by many uploaders at once
    RedClient client = RedClient.forClient(port, 101);
    List<byte[]> images = new ArrayList<>();
    for (int i = 0; i < CONCURRENT; i++) {
      images.add(TestImages.encode(noise(1000, 1000, i), "png"));
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService uploaders = Executors.newFixedThreadPool(CONCURRENT);
    List<CompletableFuture<Reply>> replies = new ArrayList<>();
    for (byte[] image : images) {
      replies.add(
          CompletableFuture.supplyAsync(
              () -> {
                awaitQuietly(start);
                return client.upload(image, "image/png");
              },
              uploaders));
    }

    // When they all go at once
    start.countDown();
    List<Reply> answers = replies.stream().map(CompletableFuture::join).toList();
    uploaders.shutdown();

    // Then some are measured, the rest told to come back, and only the measured ones stored
    List<Reply> busy = answers.stream().filter(r -> r.status() == 503).toList();
    long created = answers.stream().filter(r -> r.status() == 201).count();
    assertThat(busy).isNotEmpty();
    assertThat(created + busy.size()).isEqualTo(CONCURRENT);
    assertThat(busy).allSatisfy(r -> assertThat(r.retryAfter()).isEqualTo("1"));
    assertThat(busy.get(0).errorMessage()).contains("busy");
    assertThat(
            jdbc.sql("SELECT count(*) FROM images WHERE client_id = 101")
                .query(Long.class)
                .single())
        .isEqualTo(created);
  }

  private static BufferedImage noise(int width, int height, int seed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(seed);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        row[x] = random.nextInt(0x1000000);
      }
      image.setRGB(0, y, width, 1, row, 0, width);
    }
    return image;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
