package io.redstats.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports that are free on 127.0.0.1, never the same one twice in this JVM.
 *
 * <p>They are taken below the kernel's ephemeral range on purpose: a client that keeps reconnecting
 * to a killed server on an ephemeral port can be given that very port as its own source port,
 * connect to itself (TCP self-connect) and so hold the port the restarted server needs. Source
 * ports never come from below the ephemeral range.
 */
public final class FreePorts {

  /** Below this live the usual development defaults (8080, 8123, 9092, 5432, ...). */
  private static final int LOWEST = 20_000;

  /** Linux's default ip_local_port_range starts here. */
  private static final int DEFAULT_EPHEMERAL_START = 32_768;

  private static final int ATTEMPTS = 200;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePorts() {}

  public static synchronized int next() {
    int highest = ephemeralStart() - 1;
    if (highest - LOWEST >= 1_000) {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
        if (!HANDED_OUT.contains(port) && bindable(port)) {
          HANDED_OUT.add(port);
          return port;
        }
      }
    }
    while (true) {
      int port = ephemeralPort();
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
  }

  /** The first port of the kernel's ephemeral range (Linux; the default elsewhere). */
  static int ephemeralStart() {
    // A reader, not Files.readString: /proc files report size 0 and readString then stops early.
    try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
      return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return DEFAULT_EPHEMERAL_START;
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int ephemeralPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }
}
