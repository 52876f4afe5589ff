package io.redstats.notifier.subscription;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The name this node writes into {@code client_connections.node_id}. */
public record NodeId(String value) {

  static NodeId resolve(String configured, int port) {
    if (configured != null && !configured.isBlank()) {
      return new NodeId(configured.trim());
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return new NodeId(host + ":" + port);
  }

  @Override
  public String toString() {
    return value;
  }
}
