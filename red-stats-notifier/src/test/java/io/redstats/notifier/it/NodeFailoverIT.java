package io.redstats.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.contract.event.StatEvent;
import io.redstats.testsupport.Nginx;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * it should have, its subscription keeps its row, and its bearer token is in no log: the URLs nginx
 * logs when it fails over from the dead node do not carry it.
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

    // And it reconnects through nginx with its last token and its connection key
    AlertClient second = reconnect(ws, token, first.lastToken(), first.connection());
    stream.get();

    // Then it ends with every matching alert exactly once, no gap, no duplicate
    second.alerts(expected.size() - fromFirst.size(), WAIT);
    List<JsonNode> received = new ArrayList<>(fromFirst);
    received.addAll(second.alertsAfterQuiet(Duration.ofSeconds(2)));
    List<Long> ids = received.stream().map(a -> a.get("image_id").longValue()).toList();
    assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);

    // And its row is the same one, taken over by the survivor: active, resumed, reconnected once
    Row current = awaitRowOnNode(db, firstRow.id(), survivor.id());
    assertThat(current.active()).isTrue();
    assertThat(current.resumed()).isTrue();
    assertThat(current.reconnects()).isEqualTo(1);
    assertThat(rowsOf(db, client)).isEqualTo(1);
    second.close();
    db.close();

    // And its bearer token is in no log, though nginx logged the request line of a failover
    awaitFailoverLogged(ws, token);
    String signature = token.substring(token.lastIndexOf('.') + 1);
    Map<String, String> logs =
        Map.of(
            "nginx error.log", Files.readString(nginx.dir().resolve("error.log")),
            "nginx access.log", Files.readString(nginx.dir().resolve("access.log")),
            "surviving node", Files.readString(survivor.process().log()),
            "killed node", Files.readString(hosting.process().log()));
    assertThat(logs.get("nginx error.log")).contains("connect() failed").contains("GET /alerts?");
    logs.forEach(
        (name, log) -> {
          assertThat(log).as(name).doesNotContain(signature).doesNotContain("access_token");
        });
  }

  /**
   * Connects through nginx until its error log holds a failed connect to the dead node (nginx tries
   * it again once {@code fail_timeout} passed): the line that logs the request's URL.
   */
  private static void awaitFailoverLogged(String ws, String token) throws Exception {
    Path errorLog = nginx.dir().resolve("error.log");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.readString(errorLog).contains("connect() failed")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("nginx never logged a failed connect to the killed node");
      }
      AlertClient.connect(ws, token, "0.5", null).close();
      sleep(200);
    }
  }

  private static AlertClient reconnect(String ws, String token, String resume, String connection) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    RuntimeException last = null;
    String query = AlertClient.query("0.5", resume, null, connection);
    while (System.nanoTime() < deadline) {
      try {
        return AlertClient.connectWith(ws, token, query, AlertClient.Auth.FIRST_MESSAGE);
      } catch (RuntimeException e) {
        last = e;
        sleep(200);
      }
    }
    throw new AssertionError("could not reconnect through nginx", last);
  }

  record Row(long id, String nodeId, boolean active, boolean resumed, int reconnects) {}

  private static Row awaitRow(Connection db, long clientId, boolean active) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      try (PreparedStatement q =
          db.prepareStatement(
              "SELECT id, node_id, active, resumed, reconnects FROM client_connections"
                  + " WHERE client_id = ? AND active = ? ORDER BY id DESC LIMIT 1")) {
        q.setLong(1, clientId);
        q.setBoolean(2, active);
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next()) {
            return row(rs);
          }
        }
      }
      sleep(200);
    }
    throw new AssertionError(
        "no " + (active ? "active" : "inactive") + " row for client " + clientId);
  }

  private static Row awaitRowOnNode(Connection db, long id, String nodeId) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Row row = null;
    while (System.nanoTime() < deadline) {
      try (PreparedStatement q =
          db.prepareStatement(
              "SELECT id, node_id, active, resumed, reconnects FROM client_connections"
                  + " WHERE id = ?")) {
        q.setLong(1, id);
        try (ResultSet rs = q.executeQuery()) {
          rs.next();
          row = row(rs);
          if (row.nodeId().equals(nodeId) && row.active()) {
            return row;
          }
        }
      }
      sleep(200);
    }
    throw new AssertionError("row " + id + " never became active on " + nodeId + ": " + row);
  }

  private static long rowsOf(Connection db, long clientId) throws Exception {
    try (PreparedStatement q =
        db.prepareStatement("SELECT count(*) FROM client_connections WHERE client_id = ?")) {
      q.setLong(1, clientId);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Row row(ResultSet rs) throws Exception {
    return new Row(
        rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4), rs.getInt(5));
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
