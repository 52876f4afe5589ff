package io.redstats.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstats.contract.event.StatEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One notifier node on real Kafka and PostgreSQL, driven by real WebSocket clients. */
class AlertStreamIT {

  /**
   * Small, so the slow-client test overflows it with a few thousand events, yet large enough for a
   * reading client to keep up with them at the pace they are published.
   */
  private static final int QUEUE_CAPACITY = 500;

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration QUIET = Duration.ofMillis(1500);
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Stack stack;
  private static Stack.Node node;

  @BeforeAll
  static void startNode() {
    stack = Stack.shared();
    node =
        stack.startNode(
            "stream-node",
            Map.of(
                "redstats.notifier.send-queue-capacity", Integer.toString(QUEUE_CAPACITY),
                "redstats.notifier.send-timeout", "30s",
                "redstats.notifier.socket-send-buffer", "16KB",
                "redstats.notifier.ping-interval", "2s",
                "redstats.notifier.auth-timeout", AUTH_TIMEOUT.toSeconds() + "s"));
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  private static AlertClient subscribe(long clientId, String minRed) {
    return AlertClient.connect(node.wsUrl(), Stack.clientToken(clientId), minRed, null);
  }

  private static List<Long> imageIds(List<JsonNode> alerts) {
    return alerts.stream().map(a -> a.get("image_id").longValue()).toList();
  }

  @Test
  void redEqualToTheThresholdDoesNotAlertAndOneUnitAboveDoes() {
    // Given a client subscribed with min_red 0.85
    long client = 1001;
    try (AlertClient alerts = subscribe(client, "0.85")) {
      StatEvent equal = Stack.event(client, 0.85);
      StatEvent above = Stack.event(client, 0.85001);
      StatEvent below = Stack.event(client, 0.84999);

      // When images at, just above and just below the threshold arrive
      stack.publish(List.of(equal, below, above));

      // Then only the one strictly above alerts, with red at five decimals
      List<JsonNode> received = alerts.alertsAfterQuiet(QUIET.plus(Duration.ofSeconds(1)));
      assertThat(imageIds(received)).containsExactly(above.imageId());
      assertThat(received.get(0).get("red").decimalValue()).isEqualByComparingTo("0.85001");
      assertThat(received.get(0).get("red").toString()).isEqualTo("0.85001");
      assertThat(received.get(0).get("client_id").longValue()).isEqualTo(client);
      assertThat(received.get(0).get("resume").stringValue()).isNotBlank();
    }
  }

  @Test
  void thresholdChangedOnTheOpenSocketAppliesToTheNextEvent() {
    // Given a client at 0.5 that raises its threshold to 0.9 and gets the ack
    long client = 1002;
    try (AlertClient alerts = subscribe(client, "0.5")) {
      alerts.send("{\"min_red\":0.9}");
      JsonNode ack = alerts.awaitAck(WAIT);
      assertThat(ack.get("type").stringValue()).isEqualTo("ack");
      assertThat(ack.get("min_red").decimalValue()).isEqualByComparingTo("0.9");

      // When images at 0.7 and 0.95 arrive
      StatEvent middle = Stack.event(client, 0.7);
      StatEvent high = Stack.event(client, 0.95);
      stack.publish(List.of(middle, high));

      // Then only 0.95 alerts
      assertThat(imageIds(alerts.alertsAfterQuiet(QUIET))).containsExactly(high.imageId());

      // And after lowering to 0.1 the next image at 0.2 alerts
      alerts.send("{\"min_red\":0.1}");
      alerts.awaitAck(WAIT);
      StatEvent low = Stack.event(client, 0.2);
      stack.publish(List.of(low));
      assertThat(imageIds(alerts.alerts(2, WAIT))).containsExactly(high.imageId(), low.imageId());
    }
  }

  @Test
  void badThresholdMessageGetsAnErrorAndTheSocketStaysOpen() {
    long client = 1003;
    try (AlertClient alerts = subscribe(client, "0.5")) {
      alerts.send("{\"min_red\":2}");
      JsonNode error = alerts.awaitAck(WAIT);
      assertThat(error.get("type").stringValue()).isEqualTo("error");
      assertThat(error.get("field").stringValue()).isEqualTo("min_red");

      StatEvent event = Stack.event(client, 0.6);
      stack.publish(List.of(event));
      assertThat(imageIds(alerts.alerts(1, WAIT))).containsExactly(event.imageId());
    }
  }

  @Test
  void clientTokenSeesOnlyItsOwnClientsImages() {
    // Given client 1004 subscribed at 0
    long mine = 1004;
    long other = 1005;
    try (AlertClient alerts = subscribe(mine, "0")) {
      // When an image of another client and one of its own arrive
      StatEvent othersImage = Stack.event(other, 0.99);
      StatEvent ownImage = Stack.event(mine, 0.99);
      stack.publish(List.of(othersImage, ownImage));

      // Then it is alerted about its own only
      assertThat(imageIds(alerts.alertsAfterQuiet(QUIET))).containsExactly(ownImage.imageId());
    }
  }

  @Test
  void adminTokenSeesEveryClientsImages() {
    try (AlertClient admin =
        AlertClient.connectWith(
            node.wsUrl(),
            Stack.adminToken(),
            AlertClient.query("0.999", null, null),
            AlertClient.Auth.HEADER)) {
      StatEvent a = Stack.event(1006, 1.0);
      StatEvent b = Stack.event(1007, 1.0);
      stack.publish(List.of(a, b));

      assertThat(imageIds(admin.alerts(2, WAIT))).contains(a.imageId(), b.imageId());
    }
  }

  @Test
  void handshakeRefusesABadHeaderTokenWrongScopeAnotherClientsImagesAndATokenInTheUrl() {
    String ws = node.wsUrl();
    var header = AlertClient.Auth.HEADER;
    String query = AlertClient.query("0.5", null, null);
    assertRefused(() -> AlertClient.connectWith(ws, "not-a-jwt", query, header), 401);
    assertRefused(
        () -> AlertClient.connectWith(ws, Stack.queryOnlyToken(1008), query, header), 403);
    assertRefused(
        () ->
            AlertClient.connectWith(
                ws, Stack.clientToken(1008), AlertClient.query("0.5", null, 1009L), header),
        403);
    assertRefused(() -> AlertClient.connect(ws, Stack.clientToken(1008), "1.5", null), 400);
    assertRefused(() -> AlertClient.connect(ws, Stack.clientToken(1008), "0.5", "garbage!"), 400);
    // URLs end up in logs: a token there is refused, with the header or without
    String inUrl = query + "&access_token=" + Stack.clientToken(1008);
    assertRefused(() -> AlertClient.open(ws, inUrl, null), 400);
    assertRefused(() -> AlertClient.open(ws, inUrl, Stack.clientToken(1008)), 400);
  }

  @Test
  void firstMessageThatIsNotAValidAuthClosesWith4401AndAForbiddenTokenWith4403() {
    String ws = node.wsUrl();
    String query = AlertClient.query("0.5", null, null);
    assertThat(closeAfterFirstMessage(ws, query, AlertClient.authMessage("not-a-jwt")))
        .isEqualTo(4401);
    assertThat(closeAfterFirstMessage(ws, query, "{\"min_red\":0.5}")).isEqualTo(4401);
    assertThat(
            closeAfterFirstMessage(
                ws,
                query,
                AlertClient.authMessage(Stack.clientToken(1008, Duration.ofSeconds(-120)))))
        .isEqualTo(4401);
    assertThat(
            closeAfterFirstMessage(ws, query, AlertClient.authMessage(Stack.queryOnlyToken(1008))))
        .isEqualTo(4403);
    assertThat(
            closeAfterFirstMessage(
                ws,
                AlertClient.query("0.5", null, 1009L),
                AlertClient.authMessage(Stack.clientToken(1008))))
        .isEqualTo(4403);
  }

  @Test
  void socketThatNeverAuthenticatesIsClosedWith4401() {
    // Given a socket opened without a token, which then sends nothing
    try (AlertClient silent = AlertClient.open(node.wsUrl(), "min_red=0.5", null)) {
      // Then the node closes it with 4401 once auth-timeout passed, having sent it nothing
      assertThat(silent.awaitClose(WAIT.plus(AUTH_TIMEOUT))).isEqualTo(4401);
      assertThat(silent.closeReason()).contains("no auth message");
      assertThat(silent.next(Duration.ZERO)).isNull();
    }
  }

  private static Integer closeAfterFirstMessage(String ws, String query, String message) {
    try (AlertClient client = AlertClient.open(ws, query, null)) {
      client.send(message);
      Integer code = client.awaitClose(WAIT);
      assertThat(client.next(Duration.ZERO)).as("nothing is sent before authentication").isNull();
      return code;
    }
  }

  @Test
  void handshakeRefusesAQueryThatIsNotUtf8OrNotAsciiDigitsWith400() {
    String ws = node.wsUrl();
    String token = Stack.clientToken(1008);
    // Through Tomcat's request parsing for real: these were a 500 when the servlet decoded them.
    for (String query :
        List.of(
            "min_red=0.5%C3%28",
            "min_red=0.5&resume=%FF%FE",
            "min_red=0.5%00",
            "min_red=0.5%D9%A0",
            "min_red=0.5%EF%BC%90")) {
      assertRefused(() -> AlertClient.connectWith(ws, token, query, AlertClient.Auth.HEADER), 400);
    }
  }

  @Test
  void tokenInTheAuthorizationHeaderOpensTheStreamWithoutAnAuthMessage() {
    long client = 1010;
    try (AlertClient alerts =
        AlertClient.connectWith(
            node.wsUrl(),
            Stack.clientToken(client),
            AlertClient.query("0.5", null, null),
            AlertClient.Auth.HEADER)) {
      StatEvent event = Stack.event(client, 0.75);
      stack.publish(List.of(event));
      assertThat(imageIds(alerts.alerts(1, WAIT))).containsExactly(event.imageId());
    }
  }

  @Test
  void resumeAfterDisconnectDeliversExactlyTheMissedAlertsThenLiveOnes() {
    long client = 1011;
    // Given a client that received three alerts and disconnected with the last token
    List<StatEvent> before =
        List.of(Stack.event(client, 0.6), Stack.event(client, 0.7), Stack.event(client, 0.8));
    String token;
    try (AlertClient first = subscribe(client, "0.5")) {
      stack.publish(before);
      assertThat(imageIds(first.alerts(3, WAIT))).containsExactlyInAnyOrderElementsOf(ids(before));
      token = first.lastToken();
    }

    // When images arrive while it is away (some below its threshold) and it resumes with the token
    List<StatEvent> missed = new ArrayList<>();
    List<StatEvent> whileAway = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      StatEvent e = Stack.event(client, i % 2 == 0 ? 0.9 : 0.3);
      whileAway.add(e);
      if (i % 2 == 0) {
        missed.add(e);
      }
    }
    stack.publish(whileAway);
    try (AlertClient resumed =
        AlertClient.connect(node.wsUrl(), Stack.clientToken(client), "0.5", token)) {
      List<StatEvent> live = List.of(Stack.event(client, 0.95), Stack.event(client, 0.96));
      stack.publish(live);

      // Then it gets exactly the missed matching alerts, then the live ones, nothing twice
      List<JsonNode> received = resumed.alertsAfterQuiet(QUIET.plus(Duration.ofSeconds(2)));
      List<Long> ids = imageIds(received);
      assertThat(ids).hasSize(missed.size() + live.size()).doesNotHaveDuplicates();
      assertThat(ids.subList(0, missed.size())).containsExactlyInAnyOrderElementsOf(ids(missed));
      assertThat(ids.subList(missed.size(), ids.size()))
          .containsExactlyInAnyOrderElementsOf(ids(live));
    }
  }

  @Test
  void socketIsClosedWith4401WhenItsTokenExpiresAndAFreshTokenResumesWithoutLoss() {
    long client = 1015;
    // Given a client whose token expires soon (long enough to connect on a loaded machine)
    Duration validity = Duration.ofSeconds(15);
    long notBeforeMs = (System.currentTimeMillis() + validity.toMillis()) / 1000 * 1000 - 1000;
    String shortLived = Stack.clientToken(client, validity);
    String resume;
    try (AlertClient alerts = AlertClient.connect(node.wsUrl(), shortLived, "0.5", null)) {
      StatEvent beforeExpiry = Stack.event(client, 0.9);
      stack.publish(List.of(beforeExpiry));
      assertThat(imageIds(alerts.alerts(1, WAIT))).containsExactly(beforeExpiry.imageId());

      // When its exp passes, Then the open socket is closed with the documented code, not before
      assertThat(alerts.awaitClose(validity.plus(WAIT))).isEqualTo(4401);
      assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(notBeforeMs);
      resume = alerts.lastToken();
    }

    // And an image arriving while it has no socket
    StatEvent whileAway = Stack.event(client, 0.8);
    stack.publish(List.of(whileAway));

    // Is delivered once it reconnects with a fresh token and its last resume token
    try (AlertClient resumed =
        AlertClient.connect(node.wsUrl(), Stack.clientToken(client), "0.5", resume)) {
      assertThat(imageIds(resumed.alertsAfterQuiet(QUIET.plus(Duration.ofSeconds(1)))))
          .containsExactly(whileAway.imageId());
    }
  }

  @Test
  void resumeTokenOlderThanRetentionIsClosedWith4410() throws Exception {
    // Given a token naming offsets that were deleted (deleteRecords moves the log start past them)
    long client = 1012;
    String token;
    try (AlertClient first = subscribe(client, "0.5")) {
      token = first.lastToken();
    }
    stack.publish(IntStream.range(0, 6).mapToObj(i -> Stack.event(client, 0.9)).toList());
    stack.deleteAllRecords();

    // When it resumes, Then it is closed with the documented code
    try (AlertClient resumed =
        AlertClient.connect(node.wsUrl(), Stack.clientToken(client), "0.5", token)) {
      assertThat(resumed.awaitClose(WAIT)).isEqualTo(4410);
    }
  }

  @Test
  void slowClientIsClosedWithTheResumeCodeAndOthersAreUnaffected() throws Exception {
    long client = 1013;
    String path = "/alerts?" + AlertClient.query("0", null, null);
    try (StuckClient stuck = new StuckClient(node.port(), path, Stack.clientToken(client));
        AlertClient healthy = subscribe(client, "0")) {
      // When far more alerts than the queue holds are due to a client that never reads
      int count = 6000;
      int batch = 100;
      for (int sent = 0; sent < count; sent += batch) {
        stack.publishBatch(
            IntStream.range(0, batch).mapToObj(i -> Stack.event(client, 0.5)).toList());
        Thread.sleep(50); // ~2 000 events/s: a reading client keeps up, a stuck one cannot
      }

      // Then the healthy client of the same node gets every one of them
      assertThat(healthy.alerts(count, Duration.ofSeconds(60))).hasSize(count);
      // And the stuck one was closed by its queue (its memory is bounded by the queue)
      awaitQueueClose();
      // And once it reads, the last frame it gets is the close with the resume code
      StuckClient.Outcome outcome = stuck.readUntilClose(20_000);
      assertThat(outcome.closeCode()).isEqualTo(4408);
      assertThat(outcome.textFrames()).isLessThan(count);
    }
  }

  @Test
  @SuppressWarnings("try") // the open socket is the point: it keeps the subscription active
  void adminEndpointListsActiveSubscriptionsAndWantsScopeAdmin() throws Exception {
    long client = 1014;
    try (AlertClient alerts = subscribe(client, "0.42")) {
      // Rows are written in the background: wait for this one
      List<JsonNode> rows = activeRowsOf(client);
      assertThat(rows)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.get("min_red").decimalValue()).isEqualByComparingTo("0.42");
                assertThat(r.get("node_id").stringValue()).isEqualTo("stream-node");
                assertThat(r.get("active").booleanValue()).isTrue();
              });
      // Refusals: status, Spring's WWW-Authenticate and the JSON error body of every service
      HttpResponse<String> forbidden = get("/admin/subscriptions", Stack.clientToken(client));
      assertThat(forbidden.statusCode()).isEqualTo(403);
      assertThat(forbidden.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer error=\"insufficient_scope\""));
      assertThat(errorMessage(forbidden)).isEqualTo("the token lacks scope admin");
      HttpResponse<String> unauthorized = get("/admin/subscriptions", null);
      assertThat(unauthorized.statusCode()).isEqualTo(401);
      assertThat(unauthorized.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
      assertThat(errorMessage(unauthorized)).isEqualTo("a bearer token is required");
      HttpResponse<String> badToken = get("/admin/subscriptions", "not-a-jwt");
      assertThat(badToken.statusCode()).isEqualTo(401);
      assertThat(badToken.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer error=\"invalid_token\""));
      assertThat(errorMessage(badToken))
          .isEqualTo("a valid bearer token is required: the token is not a well-formed signed JWT");
      HttpResponse<String> health = get("/actuator/health", null);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).doesNotContain("components");
      HttpResponse<String> errorPage = get("/error", null);
      assertThat(errorPage.statusCode()).isEqualTo(404);
      assertThat(errorMessage(errorPage)).isEqualTo("not found");
    }
  }

  /** The one message of a refusal's {@code {"errors":[{"message":...}]}} body. */
  private static String errorMessage(HttpResponse<String> refusal) {
    assertThat(refusal.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode errors = MAPPER.readTree(refusal.body()).get("errors");
    assertThat(errors).hasSize(1);
    return errors.get(0).get("message").stringValue();
  }

  private static List<JsonNode> activeRowsOf(long client) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<JsonNode> rows = List.of();
    while (rows.isEmpty() && System.nanoTime() < deadline) {
      HttpResponse<String> asAdmin = get("/admin/subscriptions", Stack.adminToken());
      assertThat(asAdmin.statusCode()).isEqualTo(200);
      rows =
          MAPPER
              .readTree(asAdmin.body())
              .get("subscriptions")
              .valueStream()
              .filter(r -> r.get("client_id").asLong() == client)
              .toList();
      if (rows.isEmpty()) {
        Thread.sleep(100);
      }
    }
    return rows;
  }

  private static void assertRefused(Runnable connect, int status) {
    assertThatThrownBy(connect::run)
        .isInstanceOfSatisfying(
            AlertClient.Refused.class, r -> assertThat(r.status).isEqualTo(status));
  }

  private static List<Long> ids(List<StatEvent> events) {
    return events.stream().map(StatEvent::imageId).toList();
  }

  private static void awaitQueueClose() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> metric =
          get("/actuator/metrics/redstats.notifier.queue.closes", Stack.adminToken());
      if (metric.statusCode() == 200
          && MAPPER.readTree(metric.body()).get("measurements").get(0).get("value").doubleValue()
              >= 1) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the stuck client was not closed by its queue");
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.httpUrl() + path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
