package io.redstats.notifier.socket;

import io.redstats.contract.event.Red;
import io.redstats.notifier.feed.FeedRecord;
import io.redstats.notifier.feed.ReplayListener;
import io.redstats.notifier.feed.ResumeToken;
import io.redstats.notifier.subscription.ConnectionRow;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One client's alert stream on this node: who it is, its threshold, its keepalive, its token's
 * expiry and its closing. What it sends goes through its {@link SendQueue}; while its replay runs,
 * its live alerts wait in its {@link ReplayGate}.
 *
 * <p>Every message goes through the one queue, so the client receives alerts in the order they were
 * matched and each alert's resume token covers every alert before it. When the queue (or the gate)
 * is full the session is closed with {@link CloseCodes#RESUME_REQUIRED}: the client resumes from
 * the last token it received, so dropping what was queued loses nothing.
 */
final class AlertSession implements ReplayListener {

  private static final Logger log = LoggerFactory.getLogger(AlertSession.class);

  private final WebSocketSession socket;
  private final Subscriber subscriber;
  private final SocketProperties properties;
  private final Executor closers;
  private final AlertMetrics metrics;
  private final SendQueue queue;
  private final ReplayGate gate;

  private volatile int minRedUnits;
  private volatile boolean closing;
  private volatile long lastPongNanos = System.nanoTime();
  private volatile CompletableFuture<ConnectionRow> connectionRow =
      CompletableFuture.completedFuture(null);
  private volatile UUID connectionKey;
  private volatile Future<?> expiryTimer;

  /** Live feed thread only: the last record offered, seen twice during a threshold move. */
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
    this.closers = closers;
    this.metrics = metrics;
    this.queue =
        new SendQueue(socket, properties.sendQueueCapacity(), senders, metrics, this::closed);
    this.gate = new ReplayGate(properties.sendQueueCapacity());
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
   * a resumed stream holds live alerts back until the replay is done.
   *
   * @param resume the client's token, or null for a new stream
   */
  void join(ResumeToken joinedAt, ResumeToken resume) {
    ResumeToken welcome = resume != null ? resume : joinedAt;
    offer(
        SendQueue.Outbound.control(
            new TextMessage(
                Protocol.subscribed(subscriber, minRedUnits, welcome.encode(), connectionKey))));
    if (resume != null) {
      gate.start(joinedAt, resume);
    }
  }

  /** A live record the index says may match; on the live feed thread, must not block. */
  void deliverLive(FeedRecord record, Supplier<String> sharedAlert) {
    if (record.sequence() == lastSequence) {
      return; // seen twice during a threshold move
    }
    lastSequence = record.sequence();
    if (closing || !matches(record)) {
      return;
    }
    String alert = gate.alert(record, sharedAlert);
    if (alert == null) {
      return; // the client saw it already, on the node its token came from
    }
    SendQueue.Outbound message =
        new SendQueue.Outbound(new TextMessage(alert), record.acceptedAtMs());
    switch (gate.hold(message)) {
      case PASS -> offer(message);
      case FULL -> overflow();
      case HELD -> {}
    }
  }

  private boolean matches(FeedRecord record) {
    return subscriber.sees(record.event().clientId())
        && Red.isAbove(record.event().redUnits(), minRedUnits);
  }

  void sendControl(String json) {
    offer(SendQueue.Outbound.control(new TextMessage(json)));
  }

  void ping() {
    if (System.nanoTime() - lastPongNanos > properties.pongTimeout().toNanos()) {
      closeWith(CloseCodes.NO_PONG);
      return;
    }
    offer(SendQueue.Outbound.control(new PingMessage()));
  }

  void pong() {
    lastPongNanos = System.nanoTime();
  }

  private void offer(SendQueue.Outbound message) {
    if (!closing && !queue.offer(message)) {
      overflow();
    }
  }

  // ---- replay: called on a replay thread -------------------------------------------------------

  @Override
  public void onReplayed(FeedRecord record) {
    if (closing || !matches(record)) {
      return;
    }
    String alert = Protocol.alert(record.event(), record.tokenAfter().get().encode());
    SendQueue.Outbound message =
        new SendQueue.Outbound(new TextMessage(alert), record.acceptedAtMs());
    try {
      // A replay waits for a slow client instead of closing it at once: it is the catch-up.
      if (!queue.offer(message, properties.sendTimeout())) {
        overflow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeWith(CloseCodes.TRY_AGAIN);
    }
  }

  @Override
  public void onReplayDone() {
    if (!gate.open(queue)) {
      overflow();
    }
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
    }
    stopSending();
    closers.execute(() -> closeNow(status));
  }

  /** Marks the session gone once the socket closed; nothing more is queued or sent. */
  void closed() {
    closing = true;
    stopSending();
  }

  private void stopSending() {
    queue.stop();
    gate.clear();
    cancelExpiryTimer();
  }

  private void closeNow(CloseStatus status) {
    try {
      socket.close(status);
    } catch (IOException | RuntimeException e) {
      log.debug("closing session {} failed: {}", id(), e.toString());
    }
  }
}
