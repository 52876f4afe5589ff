package io.redstats.notifier.socket;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The node's alert meters; names start with {@code redstats.notifier}. */
final class AlertMetrics {

  private final Counter alertsSent;
  private final Counter queueCloses;
  private final Timer latency;

  AlertMetrics(MeterRegistry registry, Map<String, ?> sessions) {
    registry.gaugeMapSize("redstats.notifier.connections", java.util.List.of(), sessions);
    this.alertsSent = registry.counter("redstats.notifier.alerts.sent");
    this.queueCloses = registry.counter("redstats.notifier.queue.closes");
    this.latency =
        Timer.builder("redstats.notifier.alert.latency")
            .description(
                "from the time ingest accepted the event to the alert's write to the socket")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
  }

  void alertSent(long acceptedAtMs) {
    alertsSent.increment();
    long millis = System.currentTimeMillis() - acceptedAtMs;
    if (millis >= 0) {
      latency.record(millis, TimeUnit.MILLISECONDS); // no Duration per alert
    }
  }

  void queueClosed() {
    queueCloses.increment();
  }
}
