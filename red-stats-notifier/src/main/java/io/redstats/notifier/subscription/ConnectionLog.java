package io.redstats.notifier.subscription;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * What the socket side tells PostgreSQL about its connections, written by one background thread in
 * the order it happened. A handshake never waits for the database, and a storm of reconnects (a
 * node died) becomes a queue of small writes instead of a fight for the connection pool.
 *
 * <p>Error policy: PostgreSQL is the record of who is subscribed, not the path alerts take, so a
 * failed write is logged, counted ({@code redstats.notifier.subscription.write.failures}) and not
 * retried; the client keeps getting alerts. More than {@link #MAX_PENDING} writes waiting (the
 * database is down) are dropped and counted the same way. A row left active by a lost write is set
 * inactive when its node stops heartbeating or restarts.
 */
@Component
public class ConnectionLog implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ConnectionLog.class);

  /** About ten reconnect storms of a full node (10 000 sessions); a few MB at most. */
  static final int MAX_PENDING = 100_000;

  /** Long enough to write what is queued at a clean shutdown, short enough not to hang it. */
  private static final long FLUSH_SECONDS = 5;

  private final ConnectionRepository repository;
  private final NodeId node;
  private final Counter failures;
  private final ThreadPoolExecutor writer;

  public ConnectionLog(ConnectionRepository repository, NodeId node, MeterRegistry registry) {
    this.repository = repository;
    this.node = node;
    this.failures = registry.counter("redstats.notifier.subscription.write.failures");
    this.writer =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(MAX_PENDING),
            r -> {
              Thread t = new Thread(r, "subscription-writer");
              t.setDaemon(true);
              return t;
            });
    registry.gaugeCollectionSize(
        "redstats.notifier.subscription.pending.writes", java.util.List.of(), writer.getQueue());
  }

  /**
   * The connection's row, once written: new, or the row of {@code key} taken over when the client
   * reconnected with it. Completes with null when it could not be written.
   */
  public CompletableFuture<ConnectionRow> opened(
      UUID key, Long clientId, Long seesClientId, int minRedUnits, boolean resumed) {
    CompletableFuture<ConnectionRow> row = new CompletableFuture<>();
    boolean queued =
        submit(
            "write the connection of client " + clientId,
            () -> {
              try {
                row.complete(
                    repository.opened(node, key, clientId, seesClientId, minRedUnits, resumed));
              } finally {
                row.complete(null);
              }
            });
    if (!queued) {
      row.complete(null);
    }
    return row;
  }

  public void thresholdChanged(CompletableFuture<ConnectionRow> row, int minRedUnits) {
    submit(
        "update a threshold",
        () -> {
          ConnectionRow written = row.getNow(null); // written before: one writer, in order
          if (written != null) {
            repository.thresholdChanged(written, minRedUnits);
          }
        });
  }

  public void closed(CompletableFuture<ConnectionRow> row) {
    submit(
        "close a connection",
        () -> {
          ConnectionRow written = row.getNow(null);
          if (written != null) {
            repository.closed(written);
          }
        });
  }

  private boolean submit(String what, Runnable write) {
    try {
      writer.execute(
          () -> {
            try {
              write.run();
            } catch (RuntimeException e) {
              failed(what, e);
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      failed(what, e);
      return false;
    }
  }

  private void failed(String what, RuntimeException e) {
    failures.increment();
    log.warn("could not {} in PostgreSQL: {}", what, e.toString());
  }

  /** Writes what is queued, then marks every row of this node inactive: its sockets are gone. */
  @Override
  public void destroy() throws InterruptedException {
    writer.shutdown();
    writer.awaitTermination(FLUSH_SECONDS, TimeUnit.SECONDS);
    try {
      repository.closeAllOf(node);
    } catch (RuntimeException e) {
      log.warn(
          "could not mark connections of node {} inactive at shutdown: {}", node, e.toString());
    }
  }
}
