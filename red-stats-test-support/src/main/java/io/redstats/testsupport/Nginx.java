package io.redstats.testsupport;

import java.nio.file.Path;
import java.util.List;

/**
 * An nginx HTTP and WebSocket load balancer on 127.0.0.1 in front of local upstream ports, started
 * by deploy/local/nginx.sh. Close it to stop it.
 */
public final class Nginx implements AutoCloseable {

  private final int port;
  private final Path dir;
  private final List<Integer> upstreamPorts;
  private final LocalScripts scripts;
  private final Runnable onClose;
  private boolean closed;

  Nginx(int port, Path dir, List<Integer> upstreamPorts, LocalScripts scripts, Runnable onClose) {
    this.port = port;
    this.dir = dir;
    this.upstreamPorts = List.copyOf(upstreamPorts);
    this.scripts = scripts;
    this.onClose = onClose;
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>} */
  public String httpUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code ws://127.0.0.1:<port><path>}; PATH starts with '/'. */
  public String wsUrl(String path) {
    return "ws://127.0.0.1:" + port + (path.startsWith("/") ? path : "/" + path);
  }

  public List<Integer> upstreamPorts() {
    return upstreamPorts;
  }

  /** Where its configuration and logs (error.log, access.log) are while it runs. */
  public Path dir() {
    return dir;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      scripts.run("nginx.sh", "stop", dir.toString());
    } finally {
      TestRun.deleteRecursively(dir);
      onClose.run();
    }
  }

  @Override
  public String toString() {
    return "nginx " + httpUrl() + " -> " + upstreamPorts;
  }
}
