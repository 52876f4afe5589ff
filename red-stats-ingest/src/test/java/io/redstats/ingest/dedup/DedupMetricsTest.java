package io.redstats.ingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redstats.contract.event.StatEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DedupMetricsTest {

  private final Logger logger = (Logger) LoggerFactory.getLogger(DedupMetrics.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  @Test
  void everyConflictIsCountedButABurstIsLoggedOnce() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DedupMetrics metrics = new DedupMetrics(registry);
    StatEvent kept = new StatEvent(1, 7, 1_763_900_000_000L, 85_000);
    StatEvent dropped = new StatEvent(1, 7, 1_763_900_000_001L, 85_000);

    for (int i = 0; i < 10_000; i++) {
      metrics.conflict(1, kept, dropped);
    }

    assertThat(registry.get("redstats.dedup.conflicts").counter().count()).isEqualTo(10_000);
    assertThat(lines.list).hasSize(1);
    assertThat(lines.list.get(0).getFormattedMessage()).startsWith("conflict on image_id 1: kept");
  }
}
