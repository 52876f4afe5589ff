package io.redstats.red.image;

import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The heap that decoded images may hold at once, shared by every upload: an image reserves the
 * bytes of its decoded raster (estimated from its header, before decoding) and gives them back once
 * measured. An image that alone needs more than the whole budget is refused (413); one that does
 * not fit next to the images being decoded waits for them, then gets 503 with Retry-After. So no
 * upload, and no number of concurrent uploads, runs RED out of memory.
 */
@Component
class DecodeBudget {

  private static final long MB = 1_000_000;

  private final long capacity;
  private long available;

  @Autowired
  DecodeBudget(ImageLimits limits) {
    this(limits.decodeBudget().toBytes());
  }

  DecodeBudget(long capacity) {
    this.capacity = capacity;
    this.available = capacity;
  }

  long capacity() {
    return capacity;
  }

  synchronized long available() {
    return available;
  }

  /** Bytes held by one decoded image; closing gives them back (once). */
  final class Reservation implements AutoCloseable {
    private long bytes;

    private Reservation(long bytes) {
      this.bytes = bytes;
    }

    @Override
    public void close() {
      synchronized (DecodeBudget.this) {
        available += bytes;
        bytes = 0;
        DecodeBudget.this.notifyAll();
      }
    }
  }

  /**
   * Reserves BYTES, waiting until DEADLINE ({@link System#nanoTime()}) for other images to give
   * theirs back. WHAT describes the image for the refusal's message.
   */
  Reservation reserve(long bytes, long deadlineNanos, String what) {
    if (bytes > capacity) {
      throw new ImageRejectedException(
          HttpStatus.CONTENT_TOO_LARGE,
          "decoding "
              + what
              + " needs about "
              + ceilMb(bytes)
              + " MB of memory, more than RED's decode budget of "
              + capacity / MB
              + " MB (redstats.red.image.decode-budget)");
    }
    synchronized (this) {
      while (available < bytes) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          throw new ImageRejectedException(
              HttpStatus.SERVICE_UNAVAILABLE,
              null,
              "RED's decode budget ("
                  + capacity / MB
                  + " MB) is taken by other images being measured; retry later");
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ImageRejectedException(
              HttpStatus.SERVICE_UNAVAILABLE, null, "RED is stopping; retry later");
        }
      }
      available -= bytes;
      return new Reservation(bytes);
    }
  }

  private static long ceilMb(long bytes) {
    return (bytes + MB - 1) / MB;
  }
}
