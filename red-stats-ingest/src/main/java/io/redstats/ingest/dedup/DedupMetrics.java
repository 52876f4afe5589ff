package io.redstats.ingest.dedup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.redstats.contract.event.StatEvent;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts and logs what the topology drops. */
final class DedupMetrics implements DedupListener {

  private static final Logger log = LoggerFactory.getLogger(DedupMetrics.class);

  /**
   * At most one conflict line per second. A backfill replayed with new timestamps conflicts on
   * every event: one line each wrote 4 million lines (1.4 GB) in ten minutes and slowed the dedup
   * itself.
   */
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Counter duplicates;
  private final Counter conflicts;
  private long nextLogAt = System.nanoTime();
  private long notLogged;

  DedupMetrics(MeterRegistry registry) {
    this.duplicates =
        Counter.builder("redstats.dedup.duplicates")
            .description("repeats of an image_id with the same content, dropped")
            .register(registry);
    this.conflicts =
        Counter.builder("redstats.dedup.conflicts")
            .description("repeats of an image_id with different content; the first was kept")
            .register(registry);
  }

  @Override
  public void duplicate(long imageId) {
    duplicates.increment();
  }

  @Override
  public synchronized void conflict(long imageId, StatEvent kept, StatEvent dropped) {
    conflicts.increment();
    long now = System.nanoTime();
    if (now - nextLogAt < 0) {
      notLogged++;
      return;
    }
    log.warn(
        "conflict on image_id {}: kept {}, dropped {} ({} more conflicts since the last such line;"
            + " all are counted in redstats_dedup_conflicts_total)",
        imageId,
        kept,
        dropped,
        notLogged);
    notLogged = 0;
    nextLogAt = now + LOG_INTERVAL_NANOS;
  }
}
