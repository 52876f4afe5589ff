package io.redstats.ingest.dedup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.redstats.contract.event.StatEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts and logs what the topology drops. */
final class DedupMetrics implements DedupListener {

  private static final Logger log = LoggerFactory.getLogger(DedupMetrics.class);

  private final Counter duplicates;
  private final Counter conflicts;

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
  public void conflict(long imageId, StatEvent kept, StatEvent dropped) {
    conflicts.increment();
    log.warn("conflict on image_id {}: kept {}, dropped {}", imageId, kept, dropped);
  }
}
