package io.redstats.ingest.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What the sink writes, how fast, how far behind, and how often it fails. */
final class SinkMetrics {

  private final DistributionSummary batchRows;
  private final Timer batchLatency;
  private final Timer freshness;
  private final Counter failures;
  private final Counter deadLetters;
  private final Counter skipped;
  private final AtomicLong lag = new AtomicLong();

  SinkMetrics(MeterRegistry registry) {
    batchRows =
        DistributionSummary.builder("redstats.sink.batch.rows")
            .description("rows per ClickHouse insert")
            .register(registry);
    batchLatency =
        Timer.builder("redstats.sink.batch.latency")
            .description("time of one ClickHouse insert")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    freshness =
        Timer.builder("redstats.sink.freshness")
            .description("from ingest accepting an event to its row being inserted")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    failures =
        Counter.builder("redstats.sink.failures")
            .description("ClickHouse or Kafka failures; the sink retries and resumes")
            .register(registry);
    deadLetters =
        Counter.builder("redstats.sink.dead.letters")
            .description("canonical records that could not be read, sent to the dead-letter topic")
            .register(registry);
    skipped =
        Counter.builder("redstats.sink.already.stored")
            .description("records re-read on resume that ClickHouse already held")
            .register(registry);
    Gauge.builder("redstats.sink.lag", lag, AtomicLong::get)
        .description("canonical records not yet read by the sink")
        .register(registry);
  }

  void batch(int rows, long nanos) {
    batchRows.record(rows);
    batchLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  void fresh(long ingestedMs, long nowMs) {
    freshness.record(Duration.ofMillis(Math.max(0, nowMs - ingestedMs)));
  }

  void failure() {
    failures.increment();
  }

  void deadLetter() {
    deadLetters.increment();
  }

  void alreadyStored() {
    skipped.increment();
  }

  void lag(long records) {
    lag.set(records);
  }
}
