package io.redstats.red.delivery;

import io.redstats.red.outbox.DeliveryStatus;
import io.redstats.red.outbox.ImageRecord;
import io.redstats.red.outbox.ImageRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The one thread that empties the outbox: it sends pending images to ingest in {@code image_id}
 * order, a JSON array of up to {@code batch-size} when a backlog has built up.
 *
 * <p>Error policy, per answer of ingest:
 *
 * <ul>
 *   <li>2xx — the batch is marked {@code delivered}.
 *   <li>400/413/422 — a single event is marked {@code rejected} with ingest's error (final: the
 *       same bytes would be refused again). A refused batch is re-sent one event at a time, so only
 *       the bad event is rejected.
 *   <li>409 — a single event is marked {@code conflict} (final: ingest holds another producer's
 *       image under that id, and it will not be displaced). A batch is re-sent one at a time.
 *   <li>anything else (503, 5xx, 401/403/404, timeouts, connection errors) — the attempt and its
 *       error are recorded, the rows stay {@code pending}, the next URL is tried at once, and a URL
 *       that failed waits for its Retry-After or its exponential backoff with jitter. The head of
 *       the queue is retried until it goes through: order is kept and nothing is dropped.
 *   <li>the database failing — logged, retried after a backoff; rows stay pending.
 * </ul>
 *
 * A 2xx whose "delivered" update is lost (RED killed in between) leaves the rows pending, so they
 * are sent again: delivery is at least once, and ingest's dedup by image_id makes it count once.
 */
@Component
public class Dispatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** How long stop() waits for an in-flight POST before giving up on the thread. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  private final ImageRepository images;
  private final IngestClient client;
  private final DeliveryProperties.Delivery settings;
  private final IngestRoute route;
  private final Object signal = new Object();
  private boolean woken;
  private volatile boolean running;
  private Thread thread;

  Dispatcher(ImageRepository images, IngestClient client, DeliveryProperties properties) {
    this.images = images;
    this.client = client;
    this.settings = properties.delivery();
    this.route =
        new IngestRoute(
            properties.ingestUrls(),
            settings.initialBackoff(),
            settings.maxBackoff(),
            settings.maxRetryAfter(),
            new Random(),
            System.nanoTime());
  }

  /** Tells the dispatcher a new image is waiting, so it does not sit out its idle poll. */
  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::run, "red-dispatcher");
    thread.start();
  }

  @Override
  public void stop() {
    running = false;
    Thread t = thread;
    if (t == null) {
      return;
    }
    t.interrupt();
    try {
      t.join(STOP_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void run() {
    int databaseFailures = 0;
    while (running) {
      try {
        List<ImageRecord> batch = images.pending(settings.batchSize());
        databaseFailures = 0;
        if (batch.isEmpty()) {
          awaitWork();
        } else {
          deliver(batch);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        databaseFailures++;
        log.warn("outbox not readable or not updatable, retrying: {}", e.toString());
        sleepQuietly(route.backoff(databaseFailures));
      }
    }
  }

  private void deliver(List<ImageRecord> batch) throws InterruptedException {
    Outcome outcome = sendUntilAnswered(batch);
    if (outcome instanceof Outcome.Accepted) {
      images.markDelivered(ids(batch), Instant.now());
      return;
    }
    if (batch.size() > 1) {
      // Ingest refuses a whole request for one bad event: find it by sending them one at a time.
      for (ImageRecord row : batch) {
        deliver(List.of(row));
      }
      return;
    }
    ImageRecord row = batch.get(0);
    if (outcome instanceof Outcome.Rejected rejected) {
      log.warn("ingest rejected image {}: {}", row.imageId(), rejected.error());
      images.markFinal(row.imageId(), DeliveryStatus.REJECTED, rejected.error());
    } else if (outcome instanceof Outcome.Conflict conflict) {
      log.warn("ingest holds another image under id {}: {}", row.imageId(), conflict.error());
      images.markFinal(row.imageId(), DeliveryStatus.CONFLICT, conflict.error());
    }
  }

  /** Tries URL after URL until one accepts or rejects the batch; null only when stopping. */
  private Outcome sendUntilAnswered(List<ImageRecord> batch) throws InterruptedException {
    while (running) {
      long now = System.nanoTime();
      OptionalInt next = route.next(now);
      if (next.isEmpty()) {
        TimeUnit.NANOSECONDS.sleep(route.nanosUntilNext(now));
        continue;
      }
      int index = next.getAsInt();
      Outcome outcome = client.send(route.url(index), batch);
      if (outcome instanceof Outcome.Retry retry) {
        log.info(
            "delivery of {} event(s) from image {} failed at {}: {}",
            batch.size(),
            batch.get(0).imageId(),
            route.url(index),
            retry.error());
        route.failed(index, System.nanoTime(), retry.retryAfter());
        images.recordFailure(ids(batch), retry.error());
      } else {
        route.succeeded(index);
        return outcome;
      }
    }
    throw new InterruptedException("stopping");
  }

  private void awaitWork() throws InterruptedException {
    synchronized (signal) {
      if (!woken) {
        signal.wait(settings.idlePoll().toMillis());
      }
      woken = false;
    }
  }

  private void sleepQuietly(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static List<Long> ids(List<ImageRecord> batch) {
    return batch.stream().map(ImageRecord::imageId).toList();
  }
}
