package io.redstats.notifier.subscription;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What the socket side tells PostgreSQL about its connections.
 *
 * <p>Error policy: PostgreSQL is the record of who is subscribed, not the path alerts take, so a
 * failed write is logged, counted ({@code redstats.notifier.subscription.write.failures}) and not
 * retried; the client keeps getting alerts. A row left active by a lost write is set inactive when
 * its node stops heartbeating or restarts.
 */
@Component
public class ConnectionLog {

  private static final Logger log = LoggerFactory.getLogger(ConnectionLog.class);

  private final ConnectionRepository repository;
  private final NodeId node;
  private final Counter failures;

  public ConnectionLog(ConnectionRepository repository, NodeId node, MeterRegistry registry) {
    this.repository = repository;
    this.node = node;
    this.failures = registry.counter("redstats.notifier.subscription.write.failures");
  }

  /** The new row's id, or null when it could not be written. */
  public Long opened(Long clientId, Long seesClientId, int minRedUnits, boolean resumed) {
    try {
      return repository.opened(node, clientId, seesClientId, minRedUnits, resumed);
    } catch (RuntimeException e) {
      failed("insert connection of client " + clientId, e);
      return null;
    }
  }

  public void thresholdChanged(Long id, int minRedUnits) {
    if (id == null) {
      return;
    }
    try {
      repository.thresholdChanged(id, minRedUnits);
    } catch (RuntimeException e) {
      failed("update threshold of connection " + id, e);
    }
  }

  public void closed(Long id) {
    if (id == null) {
      return;
    }
    try {
      repository.closed(id);
    } catch (RuntimeException e) {
      failed("close connection " + id, e);
    }
  }

  private void failed(String what, RuntimeException e) {
    failures.increment();
    log.warn("could not {} in PostgreSQL: {}", what, e.toString());
  }
}
