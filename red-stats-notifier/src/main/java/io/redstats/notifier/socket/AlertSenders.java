package io.redstats.notifier.socket;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that write to sockets: a fixed number of sender loops take sessions with something to
 * send (their drain tasks) from one queue, so a busy node runs a few writing threads per core, not
 * one per session with something queued, and hands work to a running loop without waking a thread
 * per session. (A cached pool, one task per session with something queued, ran ~80 threads at 30
 * 000 alerts/s and woke one per drain.)
 *
 * <p>A loop is woken only when no loop runs or the drains waiting outnumber {@link
 * #DRAINS_PER_LOOP} for each running loop: the feed queues the alerts of a fetch in a burst, and on
 * a virtual machine waking a thread (a futex call, a context switch) costs about as much as the
 * write it would do, so a burst of ten alerts to ten sessions wakes one loop, not ten.
 *
 * <p>A write to a client that does not read blocks its loop up to {@code send-timeout}. So that
 * other sessions are unaffected, a watchdog starts one more loop every {@link #STALL_CHECK} while
 * drains wait and no loop finished one since the previous check; loops beyond {@code loops} end
 * when the queue is empty. Closes, which may wait behind a blocked write, run on threads of their
 * own ({@link #closers()}).
 */
final class AlertSenders implements Executor, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AlertSenders.class);

  /**
   * How long drains may wait on loops that are all blocked on slow clients before one more loop
   * starts: short against the latency target (p99 50 ms), long against a drain of a full queue.
   */
  static final Duration STALL_CHECK = Duration.ofMillis(20);

  /**
   * Waiting drains per running loop before another loop is woken. A drain of one alert is one
   * socket write (~20-50 µs), so a loop works through such a backlog in a millisecond or less.
   */
  static final int DRAINS_PER_LOOP = 16;

  private final int loops;
  private final ConcurrentLinkedQueue<Runnable> ready = new ConcurrentLinkedQueue<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger waiting = new AtomicInteger();
  private final LongAdder finished = new LongAdder();
  private final AtomicInteger threadCount = new AtomicInteger();
  private final ExecutorService threads;
  private final ScheduledExecutorService watchdog;
  private long finishedAtLastCheck = -1;

  /**
   * @param loops sender loops that run while there is work; more only while all of them block
   */
  AlertSenders(int loops) {
    this(loops, STALL_CHECK);
  }

  AlertSenders(int loops, Duration stallCheck) {
    this.loops = Math.max(1, loops);
    this.threads = Executors.newCachedThreadPool(r -> daemon(r, "alert-sender-"));
    this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "alert-watchdog-"));
    watchdog.scheduleWithFixedDelay(
        this::checkStalled, stallCheck.toMillis(), stallCheck.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Thread daemon(Runnable r, String prefix) {
    Thread t = new Thread(r, prefix + threadCount.incrementAndGet());
    t.setDaemon(true);
    return t;
  }

  /** Queues a session's drain; a loop runs it. */
  @Override
  public void execute(Runnable drain) {
    ready.add(drain);
    int backlog = waiting.incrementAndGet();
    int n = running.get();
    if (n == 0 || (n < loops && backlog > n * DRAINS_PER_LOOP)) {
      startLoop(false);
    }
  }

  /** For tasks that may block long (a close waiting behind a blocked write): a thread each. */
  Executor closers() {
    return threads;
  }

  private void startLoop(boolean extra) {
    if (extra) {
      running.incrementAndGet();
    } else {
      int n;
      do {
        n = running.get();
        if (n >= loops) {
          return;
        }
      } while (!running.compareAndSet(n, n + 1));
    }
    try {
      threads.execute(this::loop);
    } catch (RejectedExecutionException e) {
      running.decrementAndGet(); // shutting down
    }
  }

  private void loop() {
    while (true) {
      Runnable drain;
      while ((drain = ready.poll()) != null) {
        waiting.decrementAndGet();
        try {
          drain.run();
        } catch (RuntimeException e) {
          log.error("a sender task failed", e);
        }
        finished.increment();
      }
      running.decrementAndGet();
      if (ready.isEmpty()) {
        return; // a drain queued from now on sees fewer loops running and starts one
      }
      // A drain queued after our last poll saw us still running and started no loop: take it,
      // unless enough loops run (blocked ones too: the watchdog covers those).
      if (running.incrementAndGet() > loops) {
        running.decrementAndGet();
        return;
      }
    }
  }

  /** On the watchdog thread: drains wait and nothing moved since the last check. */
  private void checkStalled() {
    long done = finished.sum();
    if (!ready.isEmpty() && done == finishedAtLastCheck) {
      log.debug("every sender loop is blocked; starting one more ({} running)", running.get());
      startLoop(true);
    }
    finishedAtLastCheck = done;
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    threads.shutdownNow();
  }
}
