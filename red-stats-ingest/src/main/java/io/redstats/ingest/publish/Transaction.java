package io.redstats.ingest.publish;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;

/**
 * One Kafka transaction shared by the requests that joined it while it was open. Its counters are
 * guarded by the pool's lock, except {@link #senders}; {@link #failure} is written by the
 * producer's I/O thread.
 */
final class Transaction {

  final long openedAt;
  int requests;
  int records;

  /**
   * Requests still sending their records; the commit waits until none is. Incremented under the
   * pool's lock (only while the transaction is open to requests), decremented without it.
   */
  final AtomicInteger senders = new AtomicInteger();

  /**
   * The lane waits for the senders to finish (the transaction is due or closed): the request whose
   * decrement reaches 0 must wake it. Set by the lane under the pool's lock before it reads {@link
   * #senders}; read by a sender after its decrement, so one of the two always sees the other.
   */
  volatile boolean drainAwaited;

  /** The earliest ack deadline (System.nanoTime) of the requests in it. */
  long earliestDeadline = Long.MAX_VALUE;

  /** No request joins any more: the lane has taken it to commit or abort. */
  boolean closed;

  /** A request gave up on it before it closed: it must be aborted, never committed. */
  boolean doomed;

  volatile Throwable failure;

  /**
   * Records the broker acknowledged. Kafka sends the commit (EndTxn) only after every record of the
   * transaction completed, so a commit that timed out with fewer acknowledged than sent never
   * reached the coordinator.
   */
  final AtomicInteger acknowledged = new AtomicInteger();

  /** Completes normally when the commit succeeded; exceptionally when it did not (503). */
  final CompletableFuture<Void> outcome = new CompletableFuture<>();

  /** Marks the transaction failed when any of its records could not be written. */
  final Callback onAck =
      (metadata, exception) -> {
        if (exception != null) {
          fail(exception);
        } else {
          acknowledged.incrementAndGet();
        }
      };

  Transaction(long openedAt) {
    this.openedAt = openedAt;
  }

  void fail(Throwable exception) {
    if (failure == null) {
      failure = exception;
    }
  }
}
