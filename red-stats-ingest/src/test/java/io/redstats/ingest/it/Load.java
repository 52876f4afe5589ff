package io.redstats.ingest.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Posts {@code events} events with consecutive image ids from {@code firstImageId}, in batches,
 * from several threads, and retries every batch that was not answered 202 (503, connection refused,
 * a reset by a dying server) until it is — as RED does. Counts what happened on the way.
 */
final class Load {

  /** A client waits this long before retrying a batch, like RED honouring a short Retry-After. */
  private static final Duration RETRY_PAUSE = Duration.ofMillis(300);

  private final IntSupplier port;
  private final String token;
  private final long firstImageId;

  /** The events' timestamps count back from here: a retried batch repeats its events exactly. */
  private final long start = System.currentTimeMillis();

  private final int events;
  private final int batchSize;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final AtomicInteger acknowledgedBatches = new AtomicInteger();
  final AtomicInteger unavailable = new AtomicInteger();
  final AtomicInteger failedConnections = new AtomicInteger();

  Load(IntSupplier port, String token, long firstImageId, int events, int batchSize) {
    this.port = port;
    this.token = token;
    this.firstImageId = firstImageId;
    this.events = events;
    this.batchSize = batchSize;
  }

  /** Runs the load on {@code threads} threads; returns when every batch got 202 or time ran out. */
  void run(int threads, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger nextBatch = new AtomicInteger();
    int batches = (events + batchSize - 1) / batchSize;
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int b = nextBatch.getAndIncrement();
                      b < batches;
                      b = nextBatch.getAndIncrement()) {
                    postUntilAccepted(b, deadline);
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void postUntilAccepted(int batch, long deadline) throws InterruptedException {
    String body = body(batch);
    while (System.nanoTime() < deadline) {
      Integer status = post(body);
      if (status != null && status == 202) {
        acknowledgedBatches.incrementAndGet();
        return;
      }
      if (status == null) {
        failedConnections.incrementAndGet();
      } else if (status == 503) {
        unavailable.incrementAndGet();
      } else {
        throw new IllegalStateException("unexpected status " + status + " for batch " + batch);
      }
      Thread.sleep(RETRY_PAUSE.toMillis());
    }
    throw new IllegalStateException("batch " + batch + " was never acknowledged");
  }

  /** One POST of an NDJSON body; its status, or null when the connection failed. */
  Integer post(String body) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt() + "/stats"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-ndjson")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return null;
    }
  }

  private String body(int batch) {
    StringBuilder body = new StringBuilder();
    int from = batch * batchSize;
    int to = Math.min(events, from + batchSize);
    for (int i = from; i < to; i++) {
      body.append("{\"image_id\":")
          .append(firstImageId + i)
          .append(",\"client_id\":")
          .append(1 + i % 50)
          .append(",\"timestamp\":")
          .append(start - i % 86_400_000L)
          .append(",\"red\":0.")
          .append(String.format("%05d", i % 100_000))
          .append("}\n");
    }
    return body.toString();
  }
}
