package io.redstats.notifier.socket;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes each stream when the token it was opened with expires. A token is checked once, at the
 * handshake; without this a socket would outlive its token by as long as the client keeps it open.
 * One timer thread for the node: a close only hands the work to another thread. It also times the
 * first message of sockets that authenticate with it.
 */
final class TokenExpiry implements AutoCloseable {

  private final ScheduledThreadPoolExecutor timer;

  TokenExpiry() {
    timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "token-expiry");
              t.setDaemon(true);
              return t;
            });
    // A stream closed before its token expired must not leave its timer behind: 10 000 of them
    // would otherwise stay in the queue for the tokens' lifetime.
    timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Closes {@code session} with {@link CloseCodes#TOKEN_EXPIRED} at {@code expiresAt}.
   *
   * @return the timer, to cancel when the session closes first; null when the token has no expiry
   */
  ScheduledFuture<?> closeAtExpiry(AlertSession session, Instant expiresAt) {
    if (expiresAt == null) {
      return null;
    }
    long delayMillis = Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis());
    return timer.schedule(
        () -> session.closeWith(CloseCodes.TOKEN_EXPIRED), delayMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Runs {@code task} (which must only hand work to another thread) after {@code delay}: the
   * deadline of a socket's first message.
   */
  ScheduledFuture<?> after(Duration delay, Runnable task) {
    return timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
