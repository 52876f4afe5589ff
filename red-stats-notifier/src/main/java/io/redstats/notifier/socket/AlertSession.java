package io.redstats.notifier.socket;

import io.redstats.contract.event.Red;
import io.redstats.notifier.feed.FeedRecord;
import io.redstats.notifier.feed.ReplayListener;
import io.redstats.notifier.feed.ResumeToken;
import io.redstats.notifier.subscription.ConnectionRow;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

/**
 * One client's alert stream on this node: its threshold, its bounded send queue, and its replay.
 *
 * <p>Every message goes through one queue, drained by at most one sender task at a time, so the
 * client receives alerts in the order they were matched and each alert's resume token covers every
 * alert before it. When the queue is full the session is closed with {@link
 * CloseCodes#RESUME_REQUIRED}: the client resumes from the last token it received, so dropping what
 * was queued loses nothing.
 *
 * <p>While a replay runs, live alerts wait in a buffer (bounded like the queue) and follow the
 * replayed ones; replayed and live records never overlap, because the replay stops at the position
 * where the session joined the live feed.
 */
final class AlertSession implements ReplayListener {

  private static final Logger log = LoggerFactory.getLogger(AlertSession.class);

  /** A message and, for an alert, when ingest accepted its event (else -1). */
  private record Outbound(WebSocketMessage<?> message, long acceptedAtMs) {}

  private final WebSocketSession socket;
  private final Subscriber subscriber;
  private final SocketProperties properties;
  private final Executor senders;
  private final Executor closers;
  private final AlertMetrics metrics;

  /**
   * The container's sender with batching on, or null (a socket that is not a JSR-356 one): a drain
   * writes everything queued into the session's output buffer and flushes once, so a client that
   * has fallen a little behind costs one write per drain instead of one per alert.
   */
  private final RemoteEndpoint.Basic batch;

  /** Linked, not array-backed: an idle session must not hold capacity × 4 bytes of slots. */
  private final LinkedBlockingQueue<Outbound> queue;

  private final AtomicBoolean draining = new AtomicBoolean();
  private final ArrayDeque<Outbound> pending = new ArrayDeque<>();
  private volatile int minRedUnits;
  private volatile boolean closing;
  private volatile long lastPongNanos = System.nanoTime();
  private volatile CompletableFuture<ConnectionRow> connectionRow =
      CompletableFuture.completedFuture(null);
  private volatile UUID connectionKey;
  private volatile Future<?> expiryTimer;

  /** Guarded by this. */
  private boolean replaying;

  /** Live feed thread only; set while it was blocked on the join lock. */
  private Map<Integer, Long> floorAhead = Map.of();

  private long lastSequence = -1;

  AlertSession(
      WebSocketSession socket,
      Subscriber subscriber,
      int minRedUnits,
      SocketProperties properties,
      Executor senders,
      Executor closers,
      AlertMetrics metrics) {
    this.socket = socket;
    this.subscriber = subscriber;
    this.minRedUnits = minRedUnits;
    this.properties = properties;
    this.senders = senders;
    this.closers = closers;
    this.metrics = metrics;
    this.queue = new LinkedBlockingQueue<>(properties.sendQueueCapacity());
    this.batch = batchingSender(socket);
  }

  private static RemoteEndpoint.Basic batchingSender(WebSocketSession socket) {
    if (!(socket instanceof StandardWebSocketSession standard)) {
      return null;
    }
    Session nativeSession = standard.getNativeSession(Session.class);
    if (nativeSession == null) {
      return null;
    }
    try {
      RemoteEndpoint.Basic basic = nativeSession.getBasicRemote();
      basic.setBatchingAllowed(true);
      return basic;
    } catch (IOException | RuntimeException e) {
      log.debug("no batching for session {}: {}", socket.getId(), e.toString());
      return null;
    }
  }

  String id() {
    return socket.getId();
  }

  Subscriber subscriber() {
    return subscriber;
  }

  int minRedUnits() {
    return minRedUnits;
  }

  void minRedUnits(int units) {
    this.minRedUnits = units;
  }

  CompletableFuture<ConnectionRow> connectionRow() {
    return connectionRow;
  }

  void connectionRow(CompletableFuture<ConnectionRow> row) {
    this.connectionRow = row;
  }

  /** The key of this connection's row, told to the client in {@code subscribed}; before join. */
  void connectionKey(UUID key) {
    this.connectionKey = key;
  }

  /** The timer that closes the stream when its token expires; cancelled when it closes first. */
  void expiryTimer(Future<?> timer) {
    this.expiryTimer = timer;
    if (closing) {
      cancelExpiryTimer();
    }
  }

  private void cancelExpiryTimer() {
    Future<?> timer = expiryTimer;
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /**
   * Called while the live feed is held still at {@code joinedAt}: queues the first message, and for
   * a resumed stream buffers live alerts until the replay is done.
   *
   * @param resume the client's token, or null for a new stream
   */
  void join(ResumeToken joinedAt, ResumeToken resume) {
    ResumeToken welcome = resume != null ? resume : joinedAt;
    offer(
        new Outbound(
            new TextMessage(
                Protocol.subscribed(subscriber, minRedUnits, welcome.encode(), connectionKey)),
            -1));
    if (resume == null) {
      return;
    }
    synchronized (this) {
      replaying = true;
    }
    Map<Integer, Long> ahead = new HashMap<>();
    resume
        .positions()
        .forEach(
            (partition, offset) -> {
              if (offset > joinedAt.positionOf(partition)) {
                ahead.put(partition, offset);
              }
            });
    floorAhead = ahead;
  }

  /** A live record the index says may match; on the live feed thread, must not block. */
  void deliverLive(FeedRecord record, Supplier<String> sharedAlert) {
    if (record.sequence() == lastSequence) {
      return; // seen twice during a threshold move
    }
    lastSequence = record.sequence();
    if (!matches(record)) {
      return;
    }
    String alert;
    if (floorAhead.isEmpty()) {
      alert = sharedAlert.get();
    } else {
      Long floor = floorAhead.get(record.partition());
      if (floor != null && record.offset() < floor) {
        return; // the client saw it already, on the node its token came from
      }
      alert = Protocol.alert(record.event(), withFloor(record.tokenAfter().get()).encode());
    }
    offerLive(new Outbound(new TextMessage(alert), record.acceptedAtMs()));
  }

  /**
   * The client's token may be ahead of this node in some partitions; its tokens never go back, or a
   * later resume would replay what it already has.
   */
  private ResumeToken withFloor(ResumeToken live) {
    Map<Integer, Long> merged = new HashMap<>(live.positions());
    boolean caughtUp = true;
    for (Map.Entry<Integer, Long> floor : floorAhead.entrySet()) {
      if (live.positionOf(floor.getKey()) < floor.getValue()) {
        caughtUp = false;
        merged.put(floor.getKey(), floor.getValue());
      }
    }
    if (caughtUp) {
      floorAhead = Map.of(); // the live feed has passed the client's token everywhere
    }
    return ResumeToken.of(merged);
  }

  private boolean matches(FeedRecord record) {
    return subscriber.sees(record.event().clientId())
        && Red.isAbove(record.event().redUnits(), minRedUnits);
  }

  void sendControl(String json) {
    offer(new Outbound(new TextMessage(json), -1));
  }

  void ping() {
    if (System.nanoTime() - lastPongNanos > properties.pongTimeout().toNanos()) {
      closeWith(CloseCodes.NO_PONG);
      return;
    }
    offer(new Outbound(new PingMessage(), -1));
  }

  void pong() {
    lastPongNanos = System.nanoTime();
  }

  private void offerLive(Outbound message) {
    synchronized (this) {
      if (closing) {
        return;
      }
      if (replaying) {
        if (pending.size() >= properties.sendQueueCapacity()) {
          overflow();
        } else {
          pending.add(message);
        }
        return;
      }
    }
    offer(message);
  }

  private void offer(Outbound message) {
    if (closing) {
      return;
    }
    if (!queue.offer(message)) {
      overflow();
      return;
    }
    scheduleDrain();
  }

  // ---- replay: called on a replay thread -------------------------------------------------------

  @Override
  public void onReplayed(FeedRecord record) {
    if (closing || !matches(record)) {
      return;
    }
    String alert = Protocol.alert(record.event(), record.tokenAfter().get().encode());
    Outbound message = new Outbound(new TextMessage(alert), record.acceptedAtMs());
    try {
      // A replay waits for a slow client instead of closing it at once: it is the catch-up.
      if (!queue.offer(message, properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        overflow();
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeWith(CloseCodes.TRY_AGAIN);
      return;
    }
    scheduleDrain();
  }

  @Override
  public void onReplayDone() {
    synchronized (this) {
      replaying = false;
      while (!closing && !pending.isEmpty()) {
        if (!queue.offer(pending.peek())) {
          overflow();
          break;
        }
        pending.poll();
      }
      pending.clear();
    }
    scheduleDrain();
  }

  @Override
  public void onTokenTooOld() {
    closeWith(CloseCodes.TOKEN_TOO_OLD);
  }

  @Override
  public void onTokenInvalid() {
    closeWith(CloseCodes.TOKEN_INVALID);
  }

  @Override
  public void onReplayFailed(Exception cause) {
    closeWith(CloseCodes.TRY_AGAIN);
  }

  @Override
  public boolean cancelled() {
    return closing || !socket.isOpen();
  }

  // ---- sending and closing ----------------------------------------------------------------------

  private void overflow() {
    if (closing) {
      return;
    }
    metrics.queueClosed();
    log.info(
        "session {} of client {} fell behind its send queue; closing with {}",
        id(),
        subscriber.clientId(),
        CloseCodes.RESUME_REQUIRED.getCode());
    closeWith(CloseCodes.RESUME_REQUIRED);
  }

  /**
   * Drops what is queued and closes on a thread of its own (a close may wait for a blocked write).
   */
  void closeWith(CloseStatus status) {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      pending.clear();
    }
    queue.clear();
    cancelExpiryTimer();
    closers.execute(() -> closeNow(status));
  }

  /** Marks the session gone once the socket closed; nothing more is queued or sent. */
  void closed() {
    synchronized (this) {
      closing = true;
      pending.clear();
    }
    queue.clear();
    cancelExpiryTimer();
  }

  private void closeNow(CloseStatus status) {
    try {
      socket.close(status);
    } catch (IOException | RuntimeException e) {
      log.debug("closing session {} failed: {}", id(), e.toString());
    }
  }

  private void scheduleDrain() {
    if (draining.compareAndSet(false, true)) {
      senders.execute(this::drain);
    }
  }

  private void drain() {
    try {
      Outbound next;
      boolean sent = false;
      while (!closing && (next = queue.poll()) != null) {
        send(next);
        sent = true;
      }
      if (sent) {
        flush();
      }
    } finally {
      draining.set(false);
    }
    if (!closing && !queue.isEmpty()) {
      scheduleDrain();
    }
  }

  private void send(Outbound outbound) {
    try {
      socket.sendMessage(outbound.message());
      if (outbound.acceptedAtMs() >= 0) {
        metrics.alertSent(outbound.acceptedAtMs());
      }
    } catch (IOException | RuntimeException e) {
      // The socket is broken; afterConnectionClosed removes the session. Its token covers only
      // what it received, so a resume loses nothing.
      log.debug("sending to session {} failed: {}", id(), e.toString());
      closed();
    }
  }

  private void flush() {
    if (batch == null || closing) {
      return;
    }
    try {
      batch.flushBatch();
    } catch (IOException | RuntimeException e) {
      log.debug("flushing session {} failed: {}", id(), e.toString());
      closed();
    }
  }

  Duration sendTimeout() {
    return properties.sendTimeout();
  }
}
