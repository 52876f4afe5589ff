package io.redstats.notifier.bench;

import io.redstats.contract.auth.Scopes;
import io.redstats.contract.auth.TokenMinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Many WebSocket clients of the alert protocol in one JVM, cheap enough that 10 000 of them and 100
 * 000 alerts/s leave most of two shared cores to the node under test.
 *
 * <p>Hand-written on NIO, not the JDK's {@code HttpClient} WebSocket, so that the client's cost per
 * connection and per message is small and known (two selector threads, one 4 KB buffer per
 * connection, no futures or executor hand-offs per message): on two shared cores every cycle the
 * client takes is one the node under test does not get. The earlier benchmark, on the JDK client,
 * could not open 10 000 connections under load. This client does only what the benchmark needs (RFC
 * 6455 client side, no extensions): a blocking handshake on a few connector threads at a bounded
 * rate with retries, then {@link #SELECTORS} selector threads that read frames, answer pings, and
 * hand each alert's {@code timestamp} to a callback.
 */
final class BenchClients implements AutoCloseable {

  private static final int SELECTORS = 2;
  private static final int CONNECTORS = 16;
  private static final int ATTEMPTS = 5;
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
  private static final int READ_BUFFER = 4096;
  private static final byte[] TIMESTAMP = "\"timestamp\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ALERT = "{\"type\":\"alert\"".getBytes(StandardCharsets.US_ASCII);

  private final LongConsumer onAlert;
  private final List<Loop> loops = new ArrayList<>();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicLong closes = new AtomicLong();
  private final AtomicLong otherTexts = new AtomicLong();
  private final AtomicLong badFrames = new AtomicLong();
  private final AtomicLong fragmented = new AtomicLong();
  private final Map<Integer, AtomicLong> closeCodes = new ConcurrentHashMap<>();
  private volatile boolean running = true;

  BenchClients(LongConsumer onAlert) throws IOException {
    this.onAlert = onAlert;
    for (int i = 0; i < SELECTORS; i++) {
      Loop loop = new Loop(Selector.open());
      Thread t = new Thread(loop, "bench-client-" + i);
      t.setDaemon(true);
      t.start();
      loops.add(loop);
    }
  }

  int failures() {
    return failures.get();
  }

  /** Text messages that were not alerts (subscribed, ack, error). */
  long otherTexts() {
    return otherTexts.get();
  }

  /**
   * Frames this client cannot read: reserved bits set (an extension it did not ask for), a masked
   * server frame, a continuation without a start, an alert without a timestamp. Must stay 0, or
   * alerts could go uncounted.
   */
  long badFrames() {
    return badFrames.get();
  }

  /** Text messages that came in more than one frame (reassembled before counting). */
  long fragmented() {
    return fragmented.get();
  }

  String closes() {
    return closes.get() + (closeCodes.isEmpty() ? "" : " " + closeCodes);
  }

  /**
   * Opens one connection per subscriber, at most {@code perSecond} new ones a second, each retried
   * up to {@link #ATTEMPTS} times with a growing pause; returns how many are open.
   */
  int connect(URI alerts, AlertBenchmark.Thresholds thresholds, String secret, int perSecond)
      throws InterruptedException {
    TokenMinter minter = new TokenMinter(secret);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger open = new AtomicInteger();
    long start = System.nanoTime();
    long periodNanos = 1_000_000_000L / Math.max(1, perSecond);
    List<Thread> connectors = new ArrayList<>();
    for (int c = 0; c < CONNECTORS; c++) {
      Thread t =
          new Thread(
              () -> {
                int i;
                while ((i = next.getAndIncrement()) < thresholds.subscribers) {
                  long wait = start + i * periodNanos - System.nanoTime();
                  if (wait > 0) {
                    sleepNanos(wait);
                  }
                  long clientId = thresholds.clientIdOf(i);
                  String token =
                      minter.mint(
                          "bench-" + clientId,
                          clientId,
                          List.of(Scopes.SUBSCRIBE),
                          Duration.ofHours(2));
                  String path = alerts.getPath() + "?min_red=" + thresholds.minRedOf(i);
                  if (openWithRetries(alerts, path, token, i)) {
                    int n = open.incrementAndGet();
                    if (n % 1000 == 0) {
                      System.err.printf("%d subscribers connected%n", n);
                    }
                  }
                }
              },
              "bench-connector-" + c);
      t.start();
      connectors.add(t);
    }
    for (Thread t : connectors) {
      t.join();
    }
    return open.get();
  }

  private boolean openWithRetries(URI alerts, String path, String token, int index) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        Connection connection = handshake(alerts, path, token);
        loops.get(index % loops.size()).adopt(connection);
        return true;
      } catch (IOException e) {
        if (attempt == ATTEMPTS) {
          failures.incrementAndGet();
          System.err.println("subscriber " + index + " gave up: " + e);
          return false;
        }
        sleepNanos(Duration.ofMillis(500L * attempt).toNanos());
      }
    }
    return false;
  }

  private static Connection handshake(URI alerts, String path, String token) throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      channel
          .socket()
          .connect(
              new InetSocketAddress(alerts.getHost(), alerts.getPort()),
              (int) HANDSHAKE_TIMEOUT.toMillis());
      channel.socket().setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
      byte[] key = new byte[16];
      ThreadLocalRandom.current().nextBytes(key);
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: "
              + alerts.getHost()
              + ":"
              + alerts.getPort()
              + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
              + "Sec-WebSocket-Key: "
              + Base64.getEncoder().encodeToString(key)
              + "\r\nAuthorization: Bearer "
              + token
              + "\r\n\r\n";
      OutputStream out = channel.socket().getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = channel.socket().getInputStream();
      ByteBuffer received = ByteBuffer.allocate(READ_BUFFER);
      int headerEnd;
      while ((headerEnd = headerEnd(received)) < 0) {
        int n = in.read(received.array(), received.position(), received.remaining());
        if (n < 0) {
          throw new IOException("closed during the handshake");
        }
        received.position(received.position() + n);
      }
      String status = new String(received.array(), 0, 12, StandardCharsets.US_ASCII);
      if (!status.startsWith("HTTP/1.1 101")) {
        throw new IOException("handshake refused: " + status);
      }
      received.flip();
      received.position(headerEnd);
      received.compact(); // keeps frames that arrived with the response
      channel.configureBlocking(false);
      return new Connection(channel, received);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static int headerEnd(ByteBuffer b) {
    byte[] a = b.array();
    for (int i = 3; i < b.position(); i++) {
      if (a[i - 3] == '\r' && a[i - 2] == '\n' && a[i - 1] == '\r' && a[i] == '\n') {
        return i + 1;
      }
    }
    return -1;
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    for (Loop loop : loops) {
      loop.selector.wakeup();
    }
  }

  /**
   * One connection: its channel, the bytes of a frame not complete yet (write mode), and a text
   * message whose later fragments have not come yet (null when none).
   */
  private static final class Connection {
    final SocketChannel channel;
    ByteBuffer buffer;
    ByteArrayOutputStream fragments;

    Connection(SocketChannel channel, ByteBuffer buffer) {
      this.channel = channel;
      this.buffer = buffer;
    }
  }

  /** A selector thread: reads every frame of its connections. */
  private final class Loop implements Runnable {
    final Selector selector;
    final Queue<Connection> adopted = new ConcurrentLinkedQueue<>();

    Loop(Selector selector) {
      this.selector = selector;
    }

    void adopt(Connection connection) {
      adopted.add(connection);
      selector.wakeup();
    }

    @Override
    public void run() {
      while (running) {
        try {
          selector.select(1000);
          Connection c;
          while ((c = adopted.poll()) != null) {
            c.channel.register(selector, SelectionKey.OP_READ, c);
            frames(c); // the subscribed message may have come with the handshake
          }
          for (SelectionKey key : selector.selectedKeys()) {
            read((Connection) key.attachment(), key);
          }
          selector.selectedKeys().clear();
        } catch (IOException e) {
          System.err.println("client loop: " + e);
        }
      }
      for (SelectionKey key : selector.keys()) {
        try {
          key.channel().close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }

    private void read(Connection c, SelectionKey key) {
      try {
        if (!c.buffer.hasRemaining()) {
          ByteBuffer bigger = ByteBuffer.allocate(c.buffer.capacity() * 2);
          c.buffer.flip();
          bigger.put(c.buffer);
          c.buffer = bigger;
        }
        int n = c.channel.read(c.buffer);
        if (n < 0) {
          key.cancel();
          c.channel.close();
          return;
        }
        frames(c);
      } catch (IOException e) {
        key.cancel();
        try {
          c.channel.close();
        } catch (IOException ignored) {
          // already broken
        }
      }
    }

    /** Handles every complete frame in the buffer; keeps a partial one. */
    private void frames(Connection c) throws IOException {
      ByteBuffer b = c.buffer;
      b.flip();
      while (b.remaining() >= 2) {
        int start = b.position();
        int first = b.get(start) & 0xff;
        boolean fin = (first & 0x80) != 0;
        int opcode = first & 0x0f;
        boolean masked = (b.get(start + 1) & 0x80) != 0;
        int len = b.get(start + 1) & 0x7f;
        int header = 2;
        if (len == 126) {
          if (b.remaining() < 4) {
            break;
          }
          len = b.getShort(start + 2) & 0xffff;
          header = 4;
        } else if (len == 127) {
          if (b.remaining() < 10) {
            break;
          }
          len = (int) b.getLong(start + 2);
          header = 10;
        }
        if (masked) {
          header += 4; // servers must not mask (RFC 6455 5.1); counted below, skipped whole
        }
        if (b.remaining() < header + len) {
          break;
        }
        int payload = start + header;
        if ((first & 0x70) != 0 || masked) {
          badFrames.incrementAndGet();
        } else {
          frame(c, fin, opcode, b.array(), payload, len);
        }
        b.position(payload + len);
      }
      b.compact();
    }

    private void frame(Connection c, boolean fin, int opcode, byte[] a, int from, int len)
        throws IOException {
      switch (opcode) {
        case 1 -> {
          if (fin) {
            text(a, from, len);
          } else {
            c.fragments = new ByteArrayOutputStream();
            c.fragments.write(a, from, len);
          }
        }
        case 0 -> {
          if (c.fragments == null) {
            badFrames.incrementAndGet();
            return;
          }
          c.fragments.write(a, from, len);
          if (fin) {
            byte[] whole = c.fragments.toByteArray();
            c.fragments = null;
            fragmented.incrementAndGet();
            text(whole, 0, whole.length);
          }
        }
        case 9 -> pong(c, a, from, len);
        case 8 -> closed(a, from, len);
        default -> {}
      }
    }

    private void text(byte[] a, int from, int len) {
      if (!startsWith(a, from, len, ALERT)) {
        otherTexts.incrementAndGet();
        return;
      }
      int at = indexOf(a, from, len, TIMESTAMP);
      if (at < 0) {
        badFrames.incrementAndGet();
        return;
      }
      long value = 0;
      for (int i = at + TIMESTAMP.length; i < from + len && a[i] >= '0' && a[i] <= '9'; i++) {
        value = value * 10 + (a[i] - '0');
      }
      onAlert.accept(value);
    }

    private void closed(byte[] a, int from, int len) {
      int code = len >= 2 ? ((a[from] & 0xff) << 8) | (a[from + 1] & 0xff) : 1005;
      closes.incrementAndGet();
      closeCodes.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
    }

    /** Client frames are masked (RFC 6455 5.3); a zero mask leaves the payload as it is. */
    private void pong(Connection c, byte[] a, int from, int len) throws IOException {
      ByteBuffer frame = ByteBuffer.allocate(6 + len);
      frame.put((byte) 0x8a).put((byte) (0x80 | len)).putInt(0).put(a, from, len).flip();
      c.channel.write(frame);
    }
  }

  private static boolean startsWith(byte[] a, int from, int len, byte[] prefix) {
    if (len < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (a[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] a, int from, int len, byte[] needle) {
    outer:
    for (int i = from; i <= from + len - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (a[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
