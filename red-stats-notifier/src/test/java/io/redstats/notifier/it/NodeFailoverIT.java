package io.redstats.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.contract.event.StatEvent;
import io.redstats.testsupport.Nginx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two notifier nodes behind nginx. The node a client is on is killed with -9 during a stream of
 * events; the client reconnects through nginx with its last token and ends with exactly the alerts
 * it should have.
 */
class NodeFailoverIT {

  /** Fast heartbeats, so the dead node's rows are reaped within seconds of the kill. */
  private static final Map<String, String> FAST_HEARTBEAT =
      Map.of(
          "redstats.notifier.heartbeat-interval", "1s",
          "redstats.notifier.node-timeout", "4s");

  private static final int EVENTS = 300;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static Stack stack;
  private static Stack.Node nodeA;
  private static Stack.Node nodeB;
  private static Nginx nginx;

  @BeforeAll
  static void startNodesBehindNginx() {
    stack = Stack.shared();
    nodeA = stack.startNode("failover-a", FAST_HEARTBEAT);
    nodeB = stack.startNode("failover-b", FAST_HEARTBEAT);
    nginx = stack.servers.nginx(List.of(nodeA.port(), nodeB.port()));
  }

  @AfterAll
  static void stopAll() {
    if (nginx != null) {
      nginx.close();
    }
    if (nodeA != null) {
      nodeA.close();
    }
    if (nodeB != null) {
      nodeB.close();
    }
  }

  @Test
  void clientOfAKilledNodeResumesThroughNginxWithExactlyTheAlertsItShouldHave() throws Exception {
    // Given a client connected through nginx, and a stream of events half of which match it
    long client = 2001;
    String token = Stack.clientToken(client);
    String ws = nginx.wsUrl("/alerts");
    AlertClient first = AlertClient.connect(ws, token, "0.5", null);
    Connection db = stack.postgres();
    Row firstRow = awaitRow(db, client, true);
    Stack.Node hosting = firstRow.nodeId().equals(nodeA.id()) ? nodeA : nodeB;
    Stack.Node survivor = hosting == nodeA ? nodeB : nodeA;

    List<StatEvent> events = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      events.add(Stack.event(client, i % 2 == 0 ? 0.8 : 0.3));
    }
    List<Long> expected =
        events.stream().filter(e -> e.redUnits() > 50_000).map(StatEvent::imageId).toList();
    CompletableFuture<Void> stream =
        CompletableFuture.runAsync(
            () -> {
              for (StatEvent e : events) {
                stack.publish(List.of(e));
                sleep(10);
              }
            });

    // When its node is killed with -9 in the middle of the stream
    first.alerts(20, WAIT);
    hosting.process().kill9();
    assertThat(first.awaitClose(WAIT)).isNotNull();
    List<JsonNode> fromFirst = first.alertsAfterQuiet(Duration.ofMillis(300));
    assertThat(fromFirst.size()).isLessThan(expected.size());

    // And it reconnects through nginx with its last token
    AlertClient second = reconnect(ws, token, first.lastToken());
    stream.get();

    // Then it ends with every matching alert exactly once, no gap, no duplicate
    second.alerts(expected.size() - fromFirst.size(), WAIT);
    List<JsonNode> received = new ArrayList<>(fromFirst);
    received.addAll(second.alertsAfterQuiet(Duration.ofSeconds(2)));
    List<Long> ids = received.stream().map(a -> a.get("image_id").longValue()).toList();
    assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);

    // And its old row is inactive (reaped from the dead node), the new one active on the survivor
    Row old = awaitRowById(db, firstRow.id(), false);
    assertThat(old.active()).isFalse();
    Row current = awaitRow(db, client, true);
    assertThat(current.id()).isNotEqualTo(firstRow.id());
    assertThat(current.nodeId()).isEqualTo(survivor.id());
    assertThat(current.resumed()).isTrue();
    second.close();
    db.close();
  }

  private static AlertClient reconnect(String ws, String token, String resume) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        return AlertClient.connect(ws, token, "0.5", resume);
      } catch (RuntimeException e) {
        last = e;
        sleep(200);
      }
    }
    throw new AssertionError("could not reconnect through nginx", last);
  }

  record Row(long id, String nodeId, boolean active, boolean resumed) {}

  private static Row awaitRow(Connection db, long clientId, boolean active) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      try (PreparedStatement q =
          db.prepareStatement(
              "SELECT id, node_id, active, resumed FROM client_connections"
                  + " WHERE client_id = ? AND active = ? ORDER BY id DESC LIMIT 1")) {
        q.setLong(1, clientId);
        q.setBoolean(2, active);
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next()) {
            return new Row(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4));
          }
        }
      }
      sleep(200);
    }
    throw new AssertionError(
        "no " + (active ? "active" : "inactive") + " row for client " + clientId);
  }

  private static Row awaitRowById(Connection db, long id, boolean active) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Row row = null;
    while (System.nanoTime() < deadline) {
      try (PreparedStatement q =
          db.prepareStatement(
              "SELECT id, node_id, active, resumed FROM client_connections WHERE id = ?")) {
        q.setLong(1, id);
        try (ResultSet rs = q.executeQuery()) {
          rs.next();
          row = new Row(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4));
          if (row.active() == active) {
            return row;
          }
        }
      }
      sleep(200);
    }
    return row;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
