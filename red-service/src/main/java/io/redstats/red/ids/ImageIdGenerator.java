package io.redstats.red.ids;

import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Image ids that are unique by construction: a positive 63-bit number made of the milliseconds
 * since {@link #EPOCH} (41 bits), the node number (10 bits, leased so that no two live RED nodes
 * hold the same one) and a sequence within the millisecond (12 bits).
 *
 * <p>An id is never issued twice by one node number: the millisecond never goes backwards (a clock
 * that steps back is waited out for up to {@code maxClockStepBack}, then ids are refused), and it
 * never passes the {@link #allowUntil allowance} that the node's lease wrote to the database, which
 * is where the next holder of the number starts. Every id is above 2^53 (the milliseconds part
 * alone is above 2^31 since 2020-01-25), so small ids that other producers use (1, 2, … 10^9) never
 * meet one of RED's.
 *
 * <p>Thread-safe; the lock is held for nanoseconds except while a stepped-back clock is waited out.
 */
public final class ImageIdGenerator {

  /** 2020-01-01T00:00:00Z: 41 bits of milliseconds from here last until 2089. */
  public static final long EPOCH = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();

  static final int NODE_BITS = 10;
  static final int SEQUENCE_BITS = 12;
  static final int TIME_BITS = 63 - NODE_BITS - SEQUENCE_BITS;

  /** 1024 node numbers: more RED nodes than one outbox database will ever serve. */
  public static final int MAX_NODE = (1 << NODE_BITS) - 1;

  /** 4096 ids per millisecond per node: far above what one node can decode and measure. */
  static final int MAX_SEQUENCE = (1 << SEQUENCE_BITS) - 1;

  static final long MAX_TIME = (1L << TIME_BITS) - 1;

  /** The smallest id RED ever issues: 2^53, above every integer a double (JSON) holds exactly. */
  public static final long MIN_ID = 1L << 53;

  private final int node;
  private final LongSupplier clock;
  private final long maxClockStepBackMillis;
  private long lastMillis;
  private int sequence;
  private long allowedUntilMillis;
  private boolean closed;

  /**
   * @param node this node's leased number, 0..{@link #MAX_NODE}
   * @param floorMillis the last millisecond an earlier holder of the number may have used; ids
   *     start after it
   * @param allowedUntilMillis the last millisecond this node may use until its lease is renewed
   * @param clock epoch milliseconds ({@code System::currentTimeMillis} outside tests)
   * @param maxClockStepBack how far back the clock may step before ids are refused rather than
   *     waited for
   */
  public ImageIdGenerator(
      int node,
      long floorMillis,
      long allowedUntilMillis,
      LongSupplier clock,
      Duration maxClockStepBack) {
    if (node < 0 || node > MAX_NODE) {
      throw new IllegalArgumentException("node must be 0.." + MAX_NODE + ", not " + node);
    }
    this.node = node;
    this.clock = clock;
    this.maxClockStepBackMillis = maxClockStepBack.toMillis();
    this.lastMillis = floorMillis;
    this.sequence = MAX_SEQUENCE;
    this.allowedUntilMillis = allowedUntilMillis;
  }

  public int node() {
    return node;
  }

  /** The next id; throws {@link IdUnavailableException} when none may be issued now. */
  public synchronized long next() {
    if (closed) {
      throw new IdUnavailableException("RED is shutting down: no new image ids");
    }
    long now = waitOutStepBack(clock.getAsLong());
    if (now > allowedUntilMillis) {
      throw new IdUnavailableException(
          "the lease of node number " + node + " was not renewed in time (database unreachable?)");
    }
    if (now == lastMillis) {
      if (sequence == MAX_SEQUENCE) {
        now = nextMillisecond();
        sequence = 0;
      } else {
        sequence++;
      }
    } else {
      sequence = 0;
    }
    lastMillis = now;
    return compose(now, node, sequence);
  }

  /** The lease was renewed: ids may carry milliseconds up to {@code untilMillis}. */
  public synchronized void allowUntil(long untilMillis) {
    allowedUntilMillis = Math.max(allowedUntilMillis, untilMillis);
  }

  /** Issues no more ids and returns the last millisecond used (for the lease's release). */
  public synchronized long close() {
    closed = true;
    return lastMillis;
  }

  static long compose(long epochMillis, int node, int sequence) {
    long time = epochMillis - EPOCH;
    if (time < (MIN_ID >> (NODE_BITS + SEQUENCE_BITS)) || time > MAX_TIME) {
      throw new IdUnavailableException(
          "the clock says " + Instant.ofEpochMilli(epochMillis) + ": no image id fits that time");
    }
    return time << (NODE_BITS + SEQUENCE_BITS) | (long) node << SEQUENCE_BITS | sequence;
  }

  /** The milliseconds part of an id, as epoch milliseconds. */
  public static long epochMillisOf(long id) {
    return (id >>> (NODE_BITS + SEQUENCE_BITS)) + EPOCH;
  }

  /** The node part of an id. */
  public static int nodeOf(long id) {
    return (int) (id >>> SEQUENCE_BITS) & MAX_NODE;
  }

  private long waitOutStepBack(long now) {
    if (now >= lastMillis) {
      return now;
    }
    if (lastMillis - now > maxClockStepBackMillis) {
      throw new IdUnavailableException(
          "the clock stepped back "
              + (lastMillis - now)
              + " ms behind ids already issued; refusing new ids until it catches up");
    }
    // A clock that does not move at all must not hold the lock for ever.
    long deadline = System.nanoTime() + 2 * maxClockStepBackMillis * 1_000_000L;
    while (now < lastMillis) {
      if (System.nanoTime() - deadline > 0) {
        throw new IdUnavailableException("the clock is not catching up with ids already issued");
      }
      sleepAMillisecond();
      now = clock.getAsLong();
    }
    return now;
  }

  /** Waits for the clock to pass the current millisecond, whose sequence is used up. */
  private long nextMillisecond() {
    long now = clock.getAsLong();
    while (now <= lastMillis) {
      Thread.onSpinWait();
      now = clock.getAsLong();
    }
    if (now > allowedUntilMillis) {
      throw new IdUnavailableException("the lease of node number " + node + " ran out");
    }
    return now;
  }

  private static void sleepAMillisecond() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IdUnavailableException("interrupted while the clock caught up");
    }
  }
}
