package io.redstats.red.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code red_outbox_pending}: images accepted and not yet delivered. A number that keeps growing
 * means ingest is down or refusing the producer token — the one thing an operator must see.
 */
@Component
class OutboxMetrics {

  OutboxMetrics(ImageRepository images, MeterRegistry registry) {
    // Counted on the partial index of pending rows, only when scraped.
    Gauge.builder("red.outbox.pending", images, ImageRepository::countPending)
        .description("images accepted by RED and not yet delivered to RED_STATS")
        .register(registry);
  }
}
