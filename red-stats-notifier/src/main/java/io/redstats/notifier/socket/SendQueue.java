package io.redstats.notifier.socket;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

/**
 * One session's bounded send queue, drained by at most one sender task at a time: the client
 * receives messages in the order they were queued. A full queue is the caller's to handle (it
 * closes the session); a broken socket stops the queue and tells the session.
 */
final class SendQueue {

  private static final Logger log = LoggerFactory.getLogger(SendQueue.class);

  /** A message and, for an alert, when ingest accepted its event (else -1). */
  record Outbound(WebSocketMessage<?> message, long acceptedAtMs) {

    static Outbound control(WebSocketMessage<?> message) {
      return new Outbound(message, -1);
    }
  }

  private final WebSocketSession socket;
  private final Executor senders;
  private final AlertMetrics metrics;
  private final Runnable onBroken;

  /**
   * The container's sender with batching on, or null (a socket that is not a JSR-356 one): a drain
   * writes everything queued into the session's output buffer and flushes once, so a client that
   * has fallen a little behind costs one write per drain instead of one per alert.
   */
  private final RemoteEndpoint.Basic batch;

  /** Linked, not array-backed: an idle session must not hold capacity × 4 bytes of slots. */
  private final LinkedBlockingQueue<Outbound> queue;

  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile boolean stopped;

  /**
   * @param onBroken called (on a sender thread) when a write fails: the socket is gone
   */
  SendQueue(
      WebSocketSession socket,
      int capacity,
      Executor senders,
      AlertMetrics metrics,
      Runnable onBroken) {
    this.socket = socket;
    this.senders = senders;
    this.metrics = metrics;
    this.onBroken = onBroken;
    this.queue = new LinkedBlockingQueue<>(capacity);
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

  /**
   * Queues {@code message} and has it sent.
   *
   * @return false when the queue is full (nothing was queued); true when queued, or when the queue
   *     is stopped (nothing more is sent)
   */
  boolean offer(Outbound message) {
    if (stopped) {
      return true;
    }
    if (!queue.offer(message)) {
      return false;
    }
    scheduleDrain();
    return true;
  }

  /** As {@link #offer(Outbound)}, waiting up to {@code wait} for room. */
  boolean offer(Outbound message, Duration wait) throws InterruptedException {
    if (stopped) {
      return true;
    }
    if (!queue.offer(message, wait.toMillis(), TimeUnit.MILLISECONDS)) {
      return false;
    }
    scheduleDrain();
    return true;
  }

  /**
   * Moves {@code messages} into the queue in order, then has them sent.
   *
   * @return false when the queue filled up before all were moved (the rest stay in {@code
   *     messages})
   */
  boolean offerAll(Queue<Outbound> messages) {
    boolean fits = true;
    while (!stopped && !messages.isEmpty()) {
      if (!queue.offer(messages.peek())) {
        fits = false;
        break;
      }
      messages.poll();
    }
    scheduleDrain();
    return fits;
  }

  /** Drops what is queued; nothing more is sent. */
  void stop() {
    stopped = true;
    queue.clear();
  }

  private void scheduleDrain() {
    if (!stopped && draining.compareAndSet(false, true)) {
      senders.execute(this::drain);
    }
  }

  private void drain() {
    try {
      Outbound next;
      boolean sent = false;
      while (!stopped && (next = queue.poll()) != null) {
        send(next);
        sent = true;
      }
      if (sent) {
        flush();
      }
    } finally {
      draining.set(false);
    }
    if (!stopped && !queue.isEmpty()) {
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
      log.debug("sending to session {} failed: {}", socket.getId(), e.toString());
      broken();
    }
  }

  private void flush() {
    if (batch == null || stopped) {
      return;
    }
    try {
      batch.flushBatch();
    } catch (IOException | RuntimeException e) {
      log.debug("flushing session {} failed: {}", socket.getId(), e.toString());
      broken();
    }
  }

  private void broken() {
    stop();
    onBroken.run();
  }
}
