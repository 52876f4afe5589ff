package io.redstats.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.testsupport.Server;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The short fault check of {@code ./redstats test}: one kill -9 and restart per component type that
 * no other test kills, each under a small load through the whole system, with the full verification
 * (nothing acknowledged lost, nothing counted twice, every subscriber exactly its alerts after
 * resuming). Kills covered elsewhere are not repeated: the Kafka broker (BrokerOutageIT,
 * KafkaCrashIT), ingest (IngestCrashIT), a notifier node (NodeFailoverIT), RED with ingest down
 * (RedDeliveryIT) and RED against a stub ingest (RedKillIT). The long version is
 * bench/chaos/run.sh.
 */
class ChaosIT {

  /** Small: the point is the verification, not the load; a loaded CI box runs five of these. */
  private static final LoadGenerator.Settings LOAD = new LoadGenerator.Settings(20, 0.1, 4, 2);

  /**
   * Generous: on a busy two-core machine a Spring Boot service restarts in one to two minutes, and
   * RED's outbox then works off its backlog; an idle machine needs a fraction of this.
   */
  private static final Chaos.Timing TIMING =
      new Chaos.Timing(
          Duration.ofSeconds(2),
          Duration.ofSeconds(2),
          Duration.ofMinutes(5),
          Duration.ofMinutes(5));

  private static Stack stack;

  @BeforeAll
  static void stack() throws Exception {
    // Servers this JVM did not start cannot be killed: those tests then fail with the reason
    // (RealServers.controlled), they are never skipped.
    stack = Stack.get();
  }

  @Test
  void clickHouseKilledLosesNothingAndCountsOnce() throws Exception {
    assertPasses(Chaos.killAndRestart(Server.CLICKHOUSE));
  }

  @Test
  void postgresKilledLosesNoAlertAndNoEvent() throws Exception {
    assertPasses(Chaos.killAndRestart(Server.POSTGRES));
  }

  @Test
  void nginxKilledSubscribersResumeWithoutGapOrDuplicate() throws Exception {
    assertPasses(Chaos.killAndRestartNginx());
  }

  @Test
  void apiKilledCountsStayExact() throws Exception {
    assertPasses(Chaos.killAndRestart("api"));
  }

  @Test
  void redKilledUnderLoadDeliversEveryAcceptedImageOnce() throws Exception {
    assertPasses(Chaos.killAndRestart("red"));
  }

  private static void assertPasses(Chaos.Fault fault) throws Exception {
    // Given the whole system under a small load, When the fault happens and is repaired
    Chaos.Outcome outcome = Chaos.phase(stack, fault, LOAD, TIMING, System.out);

    // Then it recovered, and every acknowledged image is stored and alerted exactly once
    assertThat(outcome.error()).as("error of the phase").isNull();
    Verification.Result result = outcome.result();
    assertThat(result.acknowledged()).as("acknowledged").isPositive();
    assertThat(result.lost()).as(result.lines()).isZero();
    assertThat(result.duplicates()).as(result.lines()).isZero();
    assertThat(result.alertsMissing()).as(result.lines()).isZero();
    assertThat(result.alertsDuplicated()).as(result.lines()).isZero();
    assertThat(result.alertsExpected()).as("alerts expected").isPositive();
    assertThat(result.verified()).as(result.lines()).isTrue();
    assertThat(outcome.recovery()).as("recovered").isNotNull();
  }
}
