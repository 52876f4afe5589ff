package io.redstats.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.redstats.testsupport.RealServers;
import io.redstats.testsupport.Server;
import io.redstats.testsupport.ServerControl;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Promise 1 and 3 against a broker crash: the Kafka broker is killed -9 in the middle of a load and
 * comes back 20 s later. Requests in that window are answered 503 with Retry-After within the
 * bounded ack timeout — never a hang — and, retried as RED does, every event ends in ClickHouse
 * exactly once.
 */
class BrokerOutageIT extends IngestITSupport {

  private static final int EVENTS = 30_000;
  private static final int BATCH = 1_000;
  private static final int KILL_AFTER_BATCHES = 5;
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  @Test
  void brokerDownForTwentySecondsGets503sAndLosesNothing() throws Exception {
    // Given a broker this test run started itself (only those can be killed)
    Optional<ServerControl> kafka = RealServers.shared().control(Server.KAFKA);
    assumeTrue(kafka.isPresent(), "Kafka came from the environment; it cannot be killed here");
    long first = freshImageId();
    Load load = new Load(() -> port, ingestToken(), first, EVENTS, BATCH);

    // When the broker is killed -9 after a few batches and started again 20 s later
    CompletableFuture<Void> outage =
        CompletableFuture.runAsync(
            () -> {
              while (load.acknowledgedBatches.get() < KILL_AFTER_BATCHES) {
                Thread.onSpinWait();
              }
              kafka.get().kill9();
              sleep(OUTAGE);
              kafka.get().start();
            });
    load.run(4, Duration.ofMinutes(3));
    outage.get();

    // Then requests during the outage were refused with 503, and every event is stored once
    assertThat(load.unavailable.get()).as("503 answers during the outage").isPositive();
    ClickHouseRows rows = clickHouse();
    long last = first + EVENTS - 1;
    long stored =
        ClickHouseRows.await(
            () -> rows.countRange(first, last), n -> n >= EVENTS, Duration.ofSeconds(90));
    Thread.sleep(2_000);
    assertThat(rows.countRange(first, last)).as("rows (stored %d)", stored).isEqualTo(EVENTS);
    assertThat(rows.distinctInRange(first, last)).isEqualTo(EVENTS);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
