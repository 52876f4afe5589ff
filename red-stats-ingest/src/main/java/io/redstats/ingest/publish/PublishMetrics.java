package io.redstats.ingest.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** How the group-commit transactions end, and how many requests and records each carried. */
final class PublishMetrics {

  private final Counter committed;
  private final Counter aborted;
  private final Counter uncertain;
  private final Counter replacements;
  private final DistributionSummary requests;
  private final DistributionSummary records;
  private final Timer commit;
  private final Timer laneWait;

  PublishMetrics(MeterRegistry registry) {
    this.committed = outcome(registry, "committed");
    this.aborted = outcome(registry, "aborted");
    this.uncertain = outcome(registry, "uncertain");
    this.replacements =
        Counter.builder("redstats.publish.producer.replacements")
            .description("transactional producers closed and created again after a failure")
            .register(registry);
    this.requests =
        DistributionSummary.builder("redstats.publish.transaction.requests")
            .description("requests that shared one transaction (group commit)")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.records =
        DistributionSummary.builder("redstats.publish.transaction.records")
            .description("records in one transaction")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.commit =
        Timer.builder("redstats.publish.commit")
            .description("how long Kafka took to commit a transaction (commitTransaction)")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.laneWait =
        Timer.builder("redstats.publish.lane.wait")
            .description(
                "how long a request waited for a transaction to join (every producer busy"
                    + " committing)")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
  }

  private static Counter outcome(MeterRegistry registry, String outcome) {
    return Counter.builder("redstats.publish.transactions")
        .description(
            "transactions by outcome: committed (202), aborted (503, nothing stored), uncertain"
                + " (503 after a commit whose answer was lost)")
        .tag("outcome", outcome)
        .register(registry);
  }

  void committed(Transaction txn) {
    committed.increment();
    sizes(txn);
  }

  void aborted(Transaction txn) {
    aborted.increment();
    sizes(txn);
  }

  void uncertain(Transaction txn) {
    uncertain.increment();
    sizes(txn);
  }

  void commitTook(long nanos) {
    commit.record(nanos, TimeUnit.NANOSECONDS);
  }

  void laneWaited(long nanos) {
    laneWait.record(nanos, TimeUnit.NANOSECONDS);
  }

  void replaced() {
    replacements.increment();
  }

  double count(String outcome) {
    return switch (outcome) {
      case "committed" -> committed.count();
      case "aborted" -> aborted.count();
      default -> uncertain.count();
    };
  }

  private void sizes(Transaction txn) {
    requests.record(txn.requests);
    records.record(txn.records);
  }
}
