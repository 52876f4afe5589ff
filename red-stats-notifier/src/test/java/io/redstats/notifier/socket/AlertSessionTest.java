package io.redstats.notifier.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redstats.contract.event.StatEvent;
import io.redstats.notifier.feed.FeedRecord;
import io.redstats.notifier.feed.ResumeToken;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AlertSessionTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final long CLIENT = 7;

  private final RecordingSocket socket = new RecordingSocket();
  private final ManualExecutor senders = new ManualExecutor();
  private long sequence;

  private AlertSession session(int capacity, Duration pongTimeout) {
    SocketProperties properties =
        new SocketProperties(
            capacity,
            Duration.ofSeconds(1),
            Duration.ofSeconds(20),
            pongTimeout,
            DataSize.ofKilobytes(256),
            0,
            Duration.ofSeconds(5));
    return new AlertSession(
        socket,
        new Subscriber(CLIENT, CLIENT),
        50_000,
        properties,
        senders,
        senders,
        new AlertMetrics(new SimpleMeterRegistry(), new ConcurrentHashMap<>()));
  }

  private AlertSession session() {
    return session(100, Duration.ofSeconds(60));
  }

  private FeedRecord record(int partition, long offset, int redUnits, Map<Integer, Long> after) {
    StatEvent event = new StatEvent(1000 + offset, CLIENT, 1_763_900_000_000L, redUnits);
    ResumeToken token = ResumeToken.of(after);
    return new FeedRecord(sequence++, partition, offset, 0, event, () -> token);
  }

  private static java.util.function.Supplier<String> shared(FeedRecord record) {
    return () -> Protocol.alert(record.event(), record.tokenAfter().get().encode());
  }

  private List<Long> sentImageIds() {
    return socket.texts().stream()
        .map(MAPPER::readTree)
        .filter(n -> "alert".equals(n.get("type").stringValue()))
        .map(n -> n.get("image_id").longValue())
        .toList();
  }

  @Test
  void firstMessageIsSubscribedWithTheJoinToken() {
    AlertSession session = session();
    ResumeToken joinedAt = ResumeToken.of(Map.of(0, 5L, 1, 9L));

    session.join(joinedAt, null);
    senders.runAll();

    JsonNode first = MAPPER.readTree(socket.texts().get(0));
    assertThat(first.get("type").stringValue()).isEqualTo("subscribed");
    assertThat(ResumeToken.decode(first.get("resume").stringValue())).isEqualTo(joinedAt);
  }

  @Test
  void onlyRedStrictlyAboveTheThresholdIsSent() {
    AlertSession session = session();
    session.join(ResumeToken.of(Map.of(0, 0L)), null);
    FeedRecord equal = record(0, 0, 50_000, Map.of(0, 1L));
    FeedRecord above = record(0, 1, 50_001, Map.of(0, 2L));

    session.deliverLive(equal, shared(equal));
    session.deliverLive(above, shared(above));
    senders.runAll();

    assertThat(sentImageIds()).containsExactly(above.event().imageId());
  }

  @Test
  void recordSeenTwiceDuringAThresholdMoveIsSentOnce() {
    AlertSession session = session();
    session.join(ResumeToken.of(Map.of(0, 0L)), null);
    FeedRecord record = record(0, 0, 90_000, Map.of(0, 1L));

    session.deliverLive(record, shared(record));
    session.deliverLive(record, shared(record));
    senders.runAll();

    assertThat(sentImageIds()).containsExactly(record.event().imageId());
  }

  @Test
  void fullQueueClosesWithTheResumeCodeAndSendsNothingMore() {
    // Given a queue of two whose sender has not run yet (the client is not reading)
    AlertSession session = session(2, Duration.ofSeconds(60));
    session.join(ResumeToken.of(Map.of(0, 0L)), null);

    // When two more alerts are due
    for (int i = 0; i < 2; i++) {
      FeedRecord r = record(0, i, 90_000, Map.of(0, (long) i + 1));
      session.deliverLive(r, shared(r));
    }
    senders.runAll();

    // Then it is closed with 4408 and what was queued is dropped (the token covers only what came)
    assertThat(socket.closeStatus).isEqualTo(CloseCodes.RESUME_REQUIRED);
    assertThat(socket.texts()).isEmpty();
  }

  @Test
  void liveAlertsDuringAReplayFollowTheReplayedOnes() {
    // Given a resumed session whose replay runs while live records arrive
    AlertSession session = session();
    session.join(ResumeToken.of(Map.of(0, 10L)), ResumeToken.of(Map.of(0, 7L)));
    FeedRecord live = record(0, 10, 90_000, Map.of(0, 11L));
    session.deliverLive(live, shared(live));
    FeedRecord replayed1 =
        new FeedRecord(
            -1, 0, 7, 0, new StatEvent(7, CLIENT, 1, 90_000), () -> ResumeToken.of(Map.of(0, 8L)));
    FeedRecord replayed2 =
        new FeedRecord(
            -1, 0, 9, 0, new StatEvent(9, CLIENT, 1, 90_000), () -> ResumeToken.of(Map.of(0, 10L)));

    // When the replay hands its records and finishes
    session.onReplayed(replayed1);
    session.onReplayed(replayed2);
    senders.runAll();
    assertThat(sentImageIds()).containsExactly(7L, 9L);
    session.onReplayDone();
    senders.runAll();

    // Then the live alert comes after them, once
    assertThat(sentImageIds()).containsExactly(7L, 9L, live.event().imageId());
  }

  @Test
  void recordsTheClientsTokenAlreadyCoveredOnAnotherNodeAreNotSentAgain() {
    // Given a client whose token (offset 12) is ahead of where this node joined (offset 10)
    AlertSession session = session();
    session.join(ResumeToken.of(Map.of(0, 10L, 1, 3L)), ResumeToken.of(Map.of(0, 12L, 1, 3L)));
    session.onReplayDone();

    // When the live feed dispatches offsets 10, 11 and 12
    for (long offset = 10; offset <= 12; offset++) {
      FeedRecord r = record(0, offset, 90_000, Map.of(0, offset + 1, 1, 3L));
      session.deliverLive(r, shared(r));
    }
    senders.runAll();

    // Then only 12 is sent, and its token does not go back
    assertThat(sentImageIds()).containsExactly(1012L);
    JsonNode alert = MAPPER.readTree(socket.texts().get(socket.texts().size() - 1));
    assertThat(ResumeToken.decode(alert.get("resume").stringValue()).positionOf(0)).isEqualTo(13);
  }

  @Test
  void clientWithoutPongWithinTheTimeoutIsClosed() {
    AlertSession session = session(100, Duration.ZERO);

    session.ping();
    senders.runAll();

    assertThat(socket.closeStatus).isEqualTo(CloseCodes.NO_PONG);
  }

  /** Runs queued tasks when told: a sender thread that is busy until the test says otherwise. */
  private static final class ManualExecutor implements Executor {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run();
      }
    }
  }

  /** A WebSocket session that records what is sent and how it was closed. */
  private static final class RecordingSocket implements WebSocketSession {
    private final List<WebSocketMessage<?>> sent = new ArrayList<>();
    private final Map<String, Object> attributes = new HashMap<>();
    CloseStatus closeStatus;

    List<String> texts() {
      return sent.stream()
          .filter(m -> m instanceof TextMessage)
          .map(m -> ((TextMessage) m).getPayload())
          .toList();
    }

    @Override
    public void sendMessage(WebSocketMessage<?> message) {
      sent.add(message);
    }

    @Override
    public void close(CloseStatus status) {
      closeStatus = status;
    }

    @Override
    public void close() {
      close(CloseStatus.NORMAL);
    }

    @Override
    public boolean isOpen() {
      return closeStatus == null;
    }

    @Override
    public String getId() {
      return "test";
    }

    @Override
    public URI getUri() {
      return URI.create("ws://test/alerts");
    }

    @Override
    public HttpHeaders getHandshakeHeaders() {
      return new HttpHeaders();
    }

    @Override
    public Map<String, Object> getAttributes() {
      return attributes;
    }

    @Override
    public Principal getPrincipal() {
      return null;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return null;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return null;
    }

    @Override
    public String getAcceptedProtocol() {
      return null;
    }

    @Override
    public void setTextMessageSizeLimit(int messageSizeLimit) {}

    @Override
    public int getTextMessageSizeLimit() {
      return 0;
    }

    @Override
    public void setBinaryMessageSizeLimit(int messageSizeLimit) {}

    @Override
    public int getBinaryMessageSizeLimit() {
      return 0;
    }

    @Override
    public List<WebSocketExtension> getExtensions() {
      return List.of();
    }
  }
}
