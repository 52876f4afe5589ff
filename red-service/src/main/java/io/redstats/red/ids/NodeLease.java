package io.redstats.red.ids;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Leases this RED node a node number from {@code id_nodes} in RED's database and keeps it: every
 * RED node sharing the outbox database holds a different number while it lives, so their image ids
 * never meet.
 *
 * <p>A number is free when its lease ran out (database clock) and the last millisecond its holder
 * was allowed ({@code issued_until_ms}) is behind this node's clock; the new holder's ids start
 * after that millisecond, so they never repeat an id of the old holder, even across a restart with
 * a clock that stepped back. Renewals move the allowance forward; a node that cannot renew stops
 * issuing ids at its allowance, before anyone may take the number over. A clean stop releases the
 * number at once with the last millisecond really used.
 */
@Component
@DependsOnDatabaseInitialization
public class NodeLease implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(NodeLease.class);

  /** Two nodes starting at once may pick the same free number; the loser tries again. */
  private static final int ACQUIRE_ATTEMPTS = 10;

  private final JdbcClient jdbc;
  private final Duration lease;
  private final LongSupplier clock;
  private final UUID owner = UUID.randomUUID();
  private final ImageIdGenerator generator;
  private final ScheduledExecutorService heartbeat;

  @Autowired
  public NodeLease(JdbcClient jdbc, IdProperties properties) {
    this(jdbc, properties, System::currentTimeMillis);
  }

  NodeLease(JdbcClient jdbc, IdProperties properties, LongSupplier clock) {
    this.jdbc = jdbc;
    this.lease = properties.lease();
    this.clock = clock;
    long now = clock.getAsLong();
    long allowedUntil = now + lease.toMillis();
    int node = acquire(now, allowedUntil);
    this.generator =
        new ImageIdGenerator(node, now - 1, allowedUntil, clock, properties.maxClockStepBack());
    log.info("image ids: node number {} leased for {}", node, lease);
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "red-node-lease");
              t.setDaemon(true);
              return t;
            });
    long period = lease.toMillis() / 3;
    heartbeat.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
  }

  public ImageIdGenerator generator() {
    return generator;
  }

  private int acquire(long now, long allowedUntil) {
    for (int attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
      Optional<Integer> node = takeFree(now, allowedUntil).or(() -> takeNew(allowedUntil));
      if (node.isPresent()) {
        return node.get();
      }
    }
    throw new IllegalStateException(
        "no free image-id node number in id_nodes: "
            + (ImageIdGenerator.MAX_NODE + 1)
            + " RED nodes hold one, or the clock is behind every released one");
  }

  /** A number used before whose lease ran out and whose last millisecond is behind our clock. */
  private Optional<Integer> takeFree(long now, long allowedUntil) {
    return jdbc.sql(
            "UPDATE id_nodes SET owner = :owner, lease_until = now() + :lease * interval '1"
                + " millisecond', issued_until_ms = :until WHERE node_id = (SELECT node_id FROM"
                + " id_nodes WHERE lease_until < now() AND issued_until_ms < :now ORDER BY node_id"
                + " LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING node_id")
        .param("owner", owner)
        .param("lease", lease.toMillis())
        .param("until", allowedUntil)
        .param("now", now)
        .query(Integer.class)
        .optional();
  }

  /** The lowest number never used; empty when another node took it first or all are used. */
  private Optional<Integer> takeNew(long allowedUntil) {
    return jdbc.sql(
            "INSERT INTO id_nodes (node_id, owner, lease_until, issued_until_ms) SELECT n, :owner,"
                + " now() + :lease * interval '1 millisecond', :until FROM generate_series(0, :max)"
                + " n WHERE NOT EXISTS (SELECT 1 FROM id_nodes WHERE node_id = n) ORDER BY n LIMIT 1"
                + " ON CONFLICT (node_id) DO NOTHING RETURNING node_id")
        .param("owner", owner)
        .param("lease", lease.toMillis())
        .param("until", allowedUntil)
        .param("max", ImageIdGenerator.MAX_NODE)
        .query(Integer.class)
        .optional();
  }

  /** Moves the lease and the allowance forward; the generator learns only what was committed. */
  void renew() {
    long allowedUntil = clock.getAsLong() + lease.toMillis();
    try {
      int updated =
          jdbc.sql(
                  "UPDATE id_nodes SET lease_until = now() + :lease * interval '1 millisecond',"
                      + " issued_until_ms = GREATEST(issued_until_ms, :until)"
                      + " WHERE node_id = :node AND owner = :owner")
              .param("lease", lease.toMillis())
              .param("until", allowedUntil)
              .param("node", generator.node())
              .param("owner", owner)
              .update();
      if (updated == 1) {
        generator.allowUntil(allowedUntil);
      } else {
        log.error(
            "image ids: node number {} was taken over (lease lapsed); no new ids from this node",
            generator.node());
      }
    } catch (RuntimeException e) {
      log.warn(
          "image ids: lease of node number {} not renewed, retrying: {}",
          generator.node(),
          e.toString());
    }
  }

  /** Stops renewing without releasing, as a node killed with SIGKILL does (for tests). */
  void abandon() {
    heartbeat.shutdownNow();
  }

  /** Stops issuing ids and frees the number for the next node, with the last millisecond used. */
  @Override
  public void destroy() {
    heartbeat.shutdownNow();
    long last = generator.close();
    try {
      jdbc.sql(
              "UPDATE id_nodes SET lease_until = now(), issued_until_ms = :last"
                  + " WHERE node_id = :node AND owner = :owner")
          .param("last", last)
          .param("node", generator.node())
          .param("owner", owner)
          .update();
    } catch (RuntimeException e) {
      log.warn("image ids: node number {} not released: {}", generator.node(), e.toString());
    }
  }
}
