package io.redstats.ingest.publish;

import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of transactional producers with group commit. Hand-written: Kafka's client has no group
 * commit, and spring-kafka (not used in this project) commits one transaction per caller.
 *
 * <p>Each producer (a "lane") has a thread of its own that begins nothing itself: the first request
 * that finds no open transaction begins one on an idle lane; requests arriving while it is open
 * join it and send their records into it. The lane's thread commits it once it has been open for
 * {@code commit-interval}, no request is still sending into it and no other transaction of the pool
 * is still committing (at most 50 intervals), or as soon as it holds {@code commit-records} records
 * — and only after every joined request finished sending. While it commits, new requests open a
 * transaction on the next idle lane.
 *
 * <p>Why one commit at a time: under load, the requests that arrive while a commit runs all join
 * the next transaction, so a transaction grows with the load and the commit time instead of staying
 * {@code commit-interval} long. Each transaction costs the node and the broker a fixed amount (the
 * commit's round trips, a marker in every partition it wrote); letting commits overlap made many
 * small ones that slowed each other. When idle, a request still waits only {@code commit-interval}
 * plus its commit.
 *
 * <p>Outcomes: a committed transaction answers every request in it 202. Anything else answers 503
 * and the transaction is aborted — by {@code abortTransaction}, or, when the producer is unusable,
 * by closing it and creating a new one with the same {@code transactional.id}, whose {@code
 * initTransactions} fences the old one and aborts its open transaction. The lane keeps trying that
 * in the background (with backoff) while the broker is down, so an abandoned transaction holds back
 * the read_committed consumers only until the broker is back, not for {@code
 * transaction.timeout.ms}.
 *
 * <p>A request that runs out of time before its transaction closed dooms it (it will be aborted). A
 * commit starts only when every request in it has at least {@code max-block} left, and Kafka bounds
 * {@code commitTransaction} by {@code max.block.ms}, so every request normally hears its commit's
 * outcome in time. The one uncertain case: {@code commitTransaction} throws a timeout (or is
 * interrupted). Kafka's contract then is that the commit may still complete and that the only safe
 * moves are retrying the commit or closing the producer; the lane closes it (the new producer's
 * {@code initTransactions} completes or aborts the pending transaction) and answers 503. Those
 * events may be stored although the client heard 503; the client's retry is then dropped by the
 * dedup topology. The metric {@code redstats.publish.transactions{outcome="uncertain"}} counts
 * these.
 */
final class GroupCommitPool implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupCommitPool.class);

  /**
   * A transaction stays open to new requests while any request is still sending into it (a batch of
   * 1 000 takes longer than the commit interval; requests arriving meanwhile share its commit), but
   * never longer than this many commit intervals, so a steady stream cannot keep it open.
   */
  private static final int MAX_OPEN_FACTOR = 50;

  /** The backoff between replacement attempts grows up to this many times the first pause. */
  private static final int MAX_BACKOFF_FACTOR = 10;

  private final ReentrantLock lock = new ReentrantLock();

  /** Signalled when a lane becomes idle or a transaction starts accepting requests. */
  private final Condition available = lock.newCondition();

  private final List<Lane> lanes = new ArrayList<>();
  private final Function<String, Producer<Long, StatEvent>> factory;
  private final PublishProperties properties;
  private final PublishMetrics metrics;
  private final long commitIntervalNanos;
  private final long maxOpenNanos;
  private final long maxBlockNanos;

  /** The lane whose transaction accepts requests now, or null. Guarded by {@link #lock}. */
  private Lane accepting;

  /**
   * Transactions closed and not yet ended (committing or aborting). Guarded by {@link #lock}. The
   * accepting transaction waits for this to be 0: see the class comment.
   */
  private int committing;

  private int nextLane;
  private volatile boolean closed;

  GroupCommitPool(
      List<String> transactionalIds,
      Function<String, Producer<Long, StatEvent>> factory,
      PublishProperties properties,
      PublishMetrics metrics) {
    this.factory = factory;
    this.properties = properties;
    this.metrics = metrics;
    this.commitIntervalNanos = properties.commitInterval().toNanos();
    this.maxOpenNanos = commitIntervalNanos * MAX_OPEN_FACTOR;
    this.maxBlockNanos = properties.maxBlock().toNanos();
    for (String id : transactionalIds) {
      lanes.add(new Lane(id));
    }
  }

  void start() {
    for (Lane lane : lanes) {
      Thread thread = new Thread(lane::run, "publish-" + lane.transactionalId);
      thread.setDaemon(true);
      lane.thread = thread;
      thread.start();
    }
  }

  /** Writes every event in a committed transaction, or throws {@link KafkaUnavailableException}. */
  void publish(List<StatEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + properties.ackTimeout().toNanos();
    Joined joined = join(events.size(), deadline);
    send(joined.lane(), joined.txn(), events, deadline);
    await(joined, deadline);
  }

  /** A request's place: the lane and the transaction it joined. */
  private record Joined(Lane lane, Transaction txn) {}

  /** Joins the accepting transaction, or begins one on an idle lane; returns with the lane. */
  private Joined join(int records, long deadline) {
    long start = System.nanoTime();
    lock.lock();
    try {
      while (true) {
        if (closed) {
          throw unavailable("the service is shutting down", null);
        }
        Lane lane = accepting != null ? accepting : beginOnIdleLane();
        if (lane != null) {
          Transaction txn = lane.open;
          txn.requests++;
          txn.records += records;
          txn.senders.incrementAndGet();
          txn.earliestDeadline = Math.min(txn.earliestDeadline, deadline);
          if (txn.records >= properties.commitRecords()) {
            accepting = null;
            lane.wake.signal();
          }
          metrics.laneWaited(System.nanoTime() - start);
          return new Joined(lane, txn);
        }
        if (lanes.stream().allMatch(l -> l.unreachable)) {
          throw unavailable("no producer can reach Kafka now", null);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw unavailable(
              "no Kafka producer became free within " + properties.ackTimeout(), null);
        }
        available.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while waiting for a Kafka producer", e);
    } finally {
      lock.unlock();
    }
  }

  /** Called under the lock: begins a transaction on the next idle lane, or returns null. */
  private Lane beginOnIdleLane() {
    for (int i = 0; i < lanes.size(); i++) {
      Lane lane = lanes.get((nextLane + i) % lanes.size());
      if (!lane.idle()) {
        continue;
      }
      try {
        lane.producer.beginTransaction();
      } catch (RuntimeException e) {
        log.warn("{}: cannot begin a transaction, replacing the producer", lane.transactionalId, e);
        lane.broken = true;
        lane.wake.signal();
        continue;
      }
      nextLane = (nextLane + i + 1) % lanes.size();
      lane.open = new Transaction(System.nanoTime());
      accepting = lane;
      lane.wake.signal();
      return lane;
    }
    return null;
  }

  private void send(Lane lane, Transaction txn, List<StatEvent> events, long deadline) {
    try {
      for (StatEvent event : events) {
        if (System.nanoTime() - deadline > 0) {
          txn.fail(new TimeoutException("sending took longer than " + properties.ackTimeout()));
          break;
        }
        lane.producer.send(
            new ProducerRecord<>(Topics.RAW.name(), event.imageId(), event), txn.onAck);
      }
    } catch (RuntimeException e) {
      txn.fail(e);
    } finally {
      // Without the lock: under load most requests finish sending while their transaction is
      // still filling, and neither the lock nor a wake-up of the lane is needed then.
      if (txn.senders.decrementAndGet() == 0 && txn.drainAwaited) {
        lock.lock();
        try {
          lane.wake.signal();
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /** Waits for the transaction's outcome until the request's deadline. */
  private void await(Joined joined, long deadline) {
    Transaction txn = joined.txn();
    try {
      txn.outcome.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw unavailable("Kafka did not commit the records: " + e.getCause().getMessage(), e);
    } catch (TimeoutException e) {
      giveUp(joined);
      throw unavailable("Kafka did not commit the records within " + properties.ackTimeout(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      giveUp(joined);
      throw unavailable("interrupted while waiting for Kafka", e);
    }
  }

  /** The request leaves without an answer: a transaction not yet closed must never commit. */
  private void giveUp(Joined joined) {
    lock.lock();
    try {
      if (!joined.txn().closed) {
        joined.txn().doomed = true;
        joined.lane().wake.signal();
      } else {
        log.warn("a request timed out while its transaction was committing; it is answered 503");
      }
    } finally {
      lock.unlock();
    }
  }

  private KafkaUnavailableException unavailable(String message, Throwable cause) {
    return new KafkaUnavailableException(message, properties.retryAfter(), cause);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      for (Lane lane : lanes) {
        lane.wake.signal();
      }
      available.signalAll();
    } finally {
      lock.unlock();
    }
    for (Lane lane : lanes) {
      if (lane.thread == null) {
        continue;
      }
      try {
        lane.thread.join(properties.maxBlock().toMillis() * 2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** One transactional producer and the thread that commits, aborts and replaces it. */
  private final class Lane {

    final String transactionalId;
    final Condition wake = lock.newCondition();
    Thread thread;

    /** Null while it is being created (or re-created). */
    Producer<Long, StatEvent> producer;

    /** The transaction begun on this producer and not yet ended, or null. */
    Transaction open;

    /** beginTransaction failed: the producer must be replaced. */
    boolean broken;

    /** The last attempt to create the producer failed (Kafka is not reachable). */
    volatile boolean unreachable;

    Lane(String transactionalId) {
      this.transactionalId = transactionalId;
    }

    /** Under the lock: ready for a new transaction. */
    boolean idle() {
      return producer != null && open == null && !broken;
    }

    void run() {
      long backoff = 0;
      while (!closed) {
        if (producer == null || broken) {
          backoff = replace(backoff);
          continue;
        }
        Transaction txn = awaitDue();
        if (txn != null) {
          end(txn);
          endedCommit();
        }
      }
      Transaction left = null;
      lock.lock();
      try {
        if (open != null && producer != null) {
          left = closeForEnd(open);
          left.doomed = true;
        }
      } finally {
        lock.unlock();
      }
      if (left != null) {
        end(left);
      }
      closeProducer();
    }

    /** Waits until the open transaction is due, closes it to new requests and returns it. */
    private Transaction awaitDue() {
      lock.lock();
      try {
        while (!closed && open == null && !broken) {
          wake.await();
        }
        if (closed || open == null) {
          return null;
        }
        Transaction txn = open;
        while (!closed && accepting == this && !txn.doomed && txn.failure == null) {
          long age = System.nanoTime() - txn.openedAt;
          if (age >= commitIntervalNanos) {
            txn.drainAwaited = true; // before reading senders: see Transaction#drainAwaited
          }
          if (age >= maxOpenNanos
              || (age >= commitIntervalNanos && txn.senders.get() == 0 && committing == 0)) {
            break;
          }
          // Due: woken by the last sender, the end of the running commit, or maxOpen.
          wake.awaitNanos(
              age < commitIntervalNanos ? commitIntervalNanos - age : maxOpenNanos - age);
        }
        closeForEnd(txn);
        committing++;
        txn.drainAwaited = true;
        while (txn.senders.get() > 0) {
          wake.await();
        }
        if (txn.earliestDeadline - System.nanoTime() < maxBlockNanos) {
          // Too late to be sure the commit's answer arrives before some request gives up.
          txn.doomed = true;
        }
        return txn;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } finally {
        lock.unlock();
      }
    }

    /** A commit (or abort) ended: the accepting transaction may now be due. */
    private void endedCommit() {
      lock.lock();
      try {
        committing--;
        if (accepting != null) {
          accepting.wake.signal();
        }
      } finally {
        lock.unlock();
      }
    }

    /** Under the lock: no more requests join this transaction. */
    private Transaction closeForEnd(Transaction txn) {
      txn.closed = true;
      if (accepting == this) {
        accepting = null;
      }
      return txn;
    }

    /** Commits or aborts; never under the lock (both talk to the broker). */
    private void end(Transaction txn) {
      Throwable failure = txn.failure;
      if (txn.doomed || failure != null || closed) {
        abort(txn, failure != null ? failure : new TimeoutException("a request gave up on it"));
        return;
      }
      try {
        long start = System.nanoTime();
        producer.commitTransaction();
        metrics.commitTook(System.nanoTime() - start);
        metrics.committed(txn);
        txn.outcome.complete(null);
        ready();
      } catch (org.apache.kafka.common.errors.TimeoutException | InterruptException e) {
        commitTimedOut(txn, e);
      } catch (RuntimeException e) {
        abort(txn, e);
      }
    }

    /**
     * Kafka's contract after a commit timeout: the commit may still complete; only retrying it or
     * closing the producer is safe. The lane closes it (its I/O thread stops: nothing more is sent)
     * and then knows: if some record was never acknowledged, the EndTxn was never sent and the
     * transaction cannot commit (the replacement aborts it). Otherwise the commit may have reached
     * the coordinator and its answer was lost: uncertain.
     */
    private void commitTimedOut(Transaction txn, RuntimeException e) {
      closeProducer();
      markBroken();
      if (txn.acknowledged.get() < txn.records) {
        log.warn("{}: commit timed out before Kafka had every record: aborted", transactionalId);
        metrics.aborted(txn);
      } else {
        log.warn(
            "{}: commit of {} requests timed out after Kafka had every record; its outcome is"
                + " unknown",
            transactionalId,
            txn.requests,
            e);
        metrics.uncertain(txn);
      }
      txn.outcome.completeExceptionally(e);
    }

    private void abort(Transaction txn, Throwable cause) {
      metrics.aborted(txn);
      txn.outcome.completeExceptionally(cause);
      try {
        producer.abortTransaction();
        ready();
      } catch (RuntimeException e) {
        log.warn(
            "{}: abort failed ({}); replacing the producer, which aborts the transaction",
            transactionalId,
            e.toString());
        markBroken();
      }
    }

    private void ready() {
      lock.lock();
      try {
        open = null;
        available.signalAll();
      } finally {
        lock.unlock();
      }
    }

    private void markBroken() {
      lock.lock();
      try {
        open = null;
        broken = true;
      } finally {
        lock.unlock();
      }
    }

    /**
     * Closes the current producer (if any) and creates a new one with the same transactional id;
     * its initTransactions fences the old one and aborts what it left open. Returns the next
     * backoff.
     */
    private long replace(long backoff) {
      if (backoff > 0 && pause(backoff)) {
        return backoff;
      }
      boolean replacing = producer != null || broken;
      closeProducer();
      Producer<Long, StatEvent> fresh = null;
      try {
        fresh = factory.apply(transactionalId);
        fresh.initTransactions();
      } catch (RuntimeException e) {
        log.warn("{}: cannot start a transactional producer: {}", transactionalId, e.toString());
        if (fresh != null) {
          closeQuietly(fresh);
        }
        unreachable = true;
        long first = properties.recoveryBackoff().toNanos();
        return backoff == 0 ? first : Math.min(backoff * 2, first * MAX_BACKOFF_FACTOR);
      }
      if (replacing) {
        metrics.replaced();
      }
      lock.lock();
      try {
        producer = fresh;
        broken = false;
        unreachable = false;
        available.signalAll();
      } finally {
        lock.unlock();
      }
      return 0;
    }

    /** Waits {@code nanos} unless the pool closes; true when it closed. */
    private boolean pause(long nanos) {
      lock.lock();
      try {
        long left = nanos;
        while (!closed && left > 0) {
          left = wake.awaitNanos(left);
        }
        return closed;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      } finally {
        lock.unlock();
      }
    }

    private void closeProducer() {
      Producer<Long, StatEvent> old;
      lock.lock();
      try {
        old = producer;
        producer = null;
      } finally {
        lock.unlock();
      }
      if (old != null) {
        closeQuietly(old);
      }
    }

    private void closeQuietly(Producer<Long, StatEvent> p) {
      try {
        // Zero: do not wait for in-flight requests of a transaction nobody will commit.
        p.close(Duration.ZERO);
      } catch (RuntimeException e) {
        log.debug("{}: closing the producer failed", transactionalId, e);
      }
    }
  }
}
