package io.redstats.red.image;

import io.redstats.red.delivery.Dispatcher;
import io.redstats.red.ids.IdUnavailableException;
import io.redstats.red.ids.ImageIdGenerator;
import io.redstats.red.ids.NodeLease;
import io.redstats.red.measure.RedFraction;
import io.redstats.red.measure.RedMeter;
import io.redstats.red.outbox.ImageRecord;
import io.redstats.red.outbox.ImageRepository;
import io.redstats.red.outbox.NewImage;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Accepts one upload: the idempotency check, decoding with its limits, the measurement, and the
 * single insert that stores the result together with its pending delivery.
 */
@Service
class ImageService {

  private final ImageDecoder decoder;
  private final RedMeter meter;
  private final ImageRepository images;
  private final Dispatcher dispatcher;
  private final ImageIdGenerator ids;
  private final Semaphore decodeSlots;
  private final Duration decodeQueueTimeout;

  ImageService(
      ImageDecoder decoder,
      RedMeter meter,
      ImageRepository images,
      Dispatcher dispatcher,
      NodeLease lease,
      ImageLimits limits) {
    this.decoder = decoder;
    this.meter = meter;
    this.images = images;
    this.dispatcher = dispatcher;
    this.ids = lease.generator();
    this.decodeSlots = new Semaphore(limits.maxConcurrentDecodes(), true);
    this.decodeQueueTimeout = limits.decodeQueueTimeout();
  }

  /** The stored image, and whether this call created it (false: a repeat of its key). */
  record Accepted(ImageRecord image, boolean created) {}

  Accepted accept(long clientId, IdempotencyKey key, Instant receivedAt, UploadBody body) {
    byte[] sha256 = body.sha256();
    if (key != null) {
      Optional<ImageRecord> earlier = images.findByKey(clientId, key.value());
      if (earlier.isPresent()) {
        return repeat(earlier.get(), sha256);
      }
    }
    Measured measured = decodeAndMeasure(body);
    NewImage image =
        new NewImage(
            newId(),
            clientId,
            receivedAt,
            measured.red().units(),
            measured.format().imageIoName(),
            measured.width(),
            measured.height(),
            sha256,
            key == null ? null : key.value());
    Optional<ImageRecord> stored = images.insert(image);
    if (stored.isEmpty()) {
      // A concurrent request with the same key committed first; answer as its repeat.
      return repeat(images.findByKey(clientId, key.value()).orElseThrow(), sha256);
    }
    dispatcher.wake();
    return new Accepted(stored.get(), true);
  }

  private long newId() {
    try {
      return ids.next();
    } catch (IdUnavailableException e) {
      throw new ImageRejectedException(HttpStatus.SERVICE_UNAVAILABLE, null, e.getMessage());
    }
  }

  /** What is kept of a measured image: not its pixels, whose memory went back to the budget. */
  private record Measured(ImageFormat format, int width, int height, RedFraction red) {}

  /**
   * Decodes and measures in one of the bounded slots and within the decode budget; 503 when neither
   * frees up within the decode queue timeout (one wait for both).
   */
  private Measured decodeAndMeasure(UploadBody body) {
    long deadline = System.nanoTime() + decodeQueueTimeout.toNanos();
    boolean acquired;
    try {
      acquired = decodeSlots.tryAcquire(decodeQueueTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      acquired = false;
    }
    if (!acquired) {
      throw new ImageRejectedException(
          HttpStatus.SERVICE_UNAVAILABLE, null, "RED is busy measuring other images; retry later");
    }
    try (DecodedImage decoded = decoder.decode(body, deadline)) {
      RedFraction red = meter.measure(decoded.image());
      return new Measured(decoded.format(), decoded.width(), decoded.height(), red);
    } finally {
      decodeSlots.release();
    }
  }

  Optional<ImageRecord> find(long imageId) {
    return images.findById(imageId);
  }

  private static Accepted repeat(ImageRecord earlier, byte[] sha256) {
    if (!MessageDigest.isEqual(earlier.contentSha256(), sha256)) {
      throw new ImageRejectedException(
          HttpStatus.UNPROCESSABLE_CONTENT,
          IdempotencyKey.HEADER,
          "this key was already used for a different image (image_id " + earlier.imageId() + ")");
    }
    return new Accepted(earlier, false);
  }
}
