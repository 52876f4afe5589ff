package io.redstats.ingest.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** How each request's wait for Kafka ended, and how long it took. */
final class PublishMetrics {

  /** How a request's publish ended. */
  enum Outcome {
    /** Kafka acknowledged every record: 202. */
    ACKNOWLEDGED,
    /** Kafka reported an error for a record, or would not take one (send failed): 503. */
    FAILED,
    /** Not every record was acknowledged within the ack timeout: 503. */
    TIMED_OUT;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Timer acknowledged;
  private final Timer failed;
  private final Timer timedOut;

  PublishMetrics(MeterRegistry registry) {
    this.acknowledged = timer(registry, Outcome.ACKNOWLEDGED);
    this.failed = timer(registry, Outcome.FAILED);
    this.timedOut = timer(registry, Outcome.TIMED_OUT);
  }

  private static Timer timer(MeterRegistry registry, Outcome outcome) {
    return Timer.builder("redstats.publish.requests")
        .description(
            "requests by how their wait for Kafka ended: acknowledged (202), failed or timed_out"
                + " (503, not confirmed), and how long they waited")
        .tag("outcome", outcome.tag())
        .publishPercentiles(0.5, 0.99)
        .register(registry);
  }

  void record(Outcome outcome, long nanos) {
    Timer timer =
        switch (outcome) {
          case ACKNOWLEDGED -> acknowledged;
          case FAILED -> failed;
          case TIMED_OUT -> timedOut;
        };
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }
}
