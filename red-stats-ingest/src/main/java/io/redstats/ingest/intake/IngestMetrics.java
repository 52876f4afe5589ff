package io.redstats.ingest.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** What {@code POST /stats} accepted and refused, by reason. */
@Component
class IngestMetrics {

  private final MeterRegistry registry;
  private final Counter accepted;

  IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.accepted =
        Counter.builder("redstats.ingest.accepted")
            .description("events acknowledged by Kafka and answered 202")
            .register(registry);
  }

  void accepted(int events) {
    accepted.increment(events);
  }

  void refused(String reason) {
    Counter.builder("redstats.ingest.refused")
        .description("requests refused, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }
}
