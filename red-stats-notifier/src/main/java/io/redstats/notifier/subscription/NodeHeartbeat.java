package io.redstats.notifier.subscription;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps this node alive in {@code notifier_nodes}, reaps the rows of nodes that stopped (a kill -9
 * leaves its rows active) and deletes rows inactive for longer than the retention: every node does
 * it, so any one surviving node is enough.
 *
 * <p>Error policy: a failed heartbeat or reap is logged and tried again at the next tick. A node
 * that cannot heartbeat for longer than the timeout will see its rows reaped by others while its
 * clients are still connected; the rows then say less than the truth until they reconnect, and the
 * alerts are unaffected.
 */
@Component
public class NodeHeartbeat implements InitializingBean {

  private static final Logger log = LoggerFactory.getLogger(NodeHeartbeat.class);

  private final ConnectionRepository repository;
  private final NodeId node;
  private final NodeProperties properties;

  public NodeHeartbeat(ConnectionRepository repository, NodeId node, NodeProperties properties) {
    this.repository = repository;
    this.node = node;
    this.properties = properties;
  }

  /** Rows this node id left active in a previous life belong to sockets that no longer exist. */
  @Override
  public void afterPropertiesSet() {
    repository.heartbeat(node);
    int stale = repository.closeAllOf(node);
    if (stale > 0) {
      log.info("node {} starts: marked {} connections of its previous run inactive", node, stale);
    }
  }

  @Scheduled(
      fixedDelayString = "${redstats.notifier.heartbeat-interval:5s}",
      initialDelayString = "${redstats.notifier.heartbeat-interval:5s}")
  void beat() {
    try {
      repository.heartbeat(node);
      int reaped = repository.reapDeadNodes(properties.nodeTimeout().toMillis());
      if (reaped > 0) {
        log.info("marked {} connections of dead notifier nodes inactive", reaped);
      }
      int deleted = repository.deleteInactive(properties.connectionRetention().toMillis());
      if (deleted > 0) {
        log.debug(
            "deleted {} connections inactive for over {}",
            deleted,
            properties.connectionRetention());
      }
    } catch (RuntimeException e) {
      log.warn("heartbeat of node {} failed, retrying next tick: {}", node, e.toString());
    }
  }
}
