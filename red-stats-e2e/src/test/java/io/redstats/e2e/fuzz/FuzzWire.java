package io.redstats.e2e.fuzz;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * HTTP/1.1 spoken byte by byte over a plain socket. Hand-written on purpose: every HTTP client
 * library (the JDK's included) refuses to send what this corpus is made of — a duplicated or absurd
 * {@code Content-Length}, a header line of 100 KB, a body that is not what its headers say — and
 * the point is to see what the servers answer to exactly those bytes.
 *
 * <p>The request is written by its own thread while this one reads the answer: a server that
 * refuses a 10 MB body early (413 on {@code Content-Length}) and closes must still be heard, not
 * turned into a "broken pipe" on the writing side.
 */
public final class FuzzWire {

  /** How much of an answer is kept: enough for the status and the error body. */
  private static final int KEEP_BYTES = 64 * 1024;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private FuzzWire() {}

  /**
   * What came back: a status, or {@code status == -1} and a {@code failure} of {@code timeout} (no
   * complete answer within the deadline), {@code reset} or {@code closed} (the connection ended
   * before a status line).
   */
  public record Answer(int status, String head, String body, String failure, long millis) {

    public boolean timedOut() {
      return "timeout".equals(failure);
    }

    @Override
    public String toString() {
      String text = status >= 0 ? head.lines().findFirst().orElse("") : "no answer: " + failure;
      return text + " (" + millis + " ms) " + FuzzCase.abbreviate(body, 300);
    }
  }

  /**
   * Sends REQUEST (complete bytes, request line to body) to HOST:PORT and reads one answer, giving
   * up after TIMEOUT. HALF_CLOSE shuts the writing side after the request, so a server that waits
   * for more body than was sent sees the end of the stream instead of waiting for its own timeout.
   * A 101 answer (a WebSocket upgrade the case should not have got) is returned without waiting for
   * the connection to end.
   */
  public static Answer exchange(
      String host, int port, byte[] request, boolean halfClose, Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
      Thread writer = startWriter(socket, request, halfClose);
      try {
        return read(socket, deadline, start);
      } finally {
        writer.interrupt();
      }
    } catch (IOException e) {
      return new Answer(-1, "", String.valueOf(e), "connect: " + e.getMessage(), millis(start));
    }
  }

  private static Thread startWriter(Socket socket, byte[] request, boolean halfClose) {
    Thread writer =
        new Thread(
            () -> {
              try {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                if (halfClose) {
                  socket.shutdownOutput();
                }
              } catch (IOException e) {
                // The server answered and closed before taking the whole body: its answer is what
                // counts, and the reader has it.
              }
            },
            "fuzz-writer");
    writer.setDaemon(true);
    writer.start();
    return writer;
  }

  private static Answer read(Socket socket, long deadline, long start) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int headEnd = -1;
    long contentLength = -1;
    boolean chunked = false;
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return partial(got, headEnd, "timeout", start);
      }
      socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
      int n;
      try {
        n = in.read(buffer);
      } catch (SocketTimeoutException e) {
        return partial(got, headEnd, "timeout", start);
      } catch (IOException e) {
        // A reset after the answer arrived (the server closed with unread body bytes) is fine.
        return partial(got, headEnd, "reset", start);
      }
      if (n < 0) {
        return partial(got, headEnd, "closed", start);
      }
      if (got.size() < KEEP_BYTES + 16 * 1024) {
        got.write(buffer, 0, n);
      }
      byte[] bytes = got.toByteArray();
      if (headEnd < 0) {
        headEnd = indexOf(bytes, "\r\n\r\n".getBytes(ISO_8859_1));
        if (headEnd < 0) {
          continue;
        }
        String head = new String(bytes, 0, headEnd, ISO_8859_1);
        int status = status(head);
        if (status == 101) {
          return partial(got, headEnd, null, start);
        }
        if (status >= 100 && status < 200) {
          // An interim answer (100 Continue): the final one follows; drop the interim one.
          byte[] rest = Arrays.copyOfRange(bytes, headEnd + 4, bytes.length);
          got.reset();
          got.writeBytes(rest);
          headEnd = -1;
          continue;
        }
        contentLength = contentLength(head);
        chunked = head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
      }
      int bodyBytes = bytes.length - headEnd - 4;
      if (contentLength >= 0 && bodyBytes >= contentLength
          || chunked && endsWith(bytes, "0\r\n\r\n".getBytes(ISO_8859_1))
          || bodyBytes >= KEEP_BYTES) {
        return partial(got, headEnd, null, start);
      }
    }
  }

  private static Answer partial(
      ByteArrayOutputStream got, int headEnd, String failure, long start) {
    byte[] bytes = got.toByteArray();
    if (headEnd < 0) {
      int found = indexOf(bytes, "\r\n\r\n".getBytes(ISO_8859_1));
      headEnd = found;
    }
    if (headEnd < 0) {
      // Not even a complete head: no status to judge by.
      String seen = new String(bytes, ISO_8859_1);
      return new Answer(-1, seen, "", failure == null ? "closed" : failure, millis(start));
    }
    String head = new String(bytes, 0, headEnd, ISO_8859_1);
    String body = new String(bytes, headEnd + 4, bytes.length - headEnd - 4, ISO_8859_1);
    int status = status(head);
    if (status < 0) {
      return new Answer(-1, head, body, "not HTTP", millis(start));
    }
    // With a status in hand the answer counts even if the connection then timed out or reset.
    return new Answer(status, head, body, null, millis(start));
  }

  private static int status(String head) {
    String first = head.lines().findFirst().orElse("");
    String[] parts = first.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      return -1;
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
        try {
          return Long.parseLong(line.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static boolean endsWith(byte[] bytes, byte[] suffix) {
    if (bytes.length < suffix.length) {
      return false;
    }
    for (int i = 0; i < suffix.length; i++) {
      if (bytes[bytes.length - suffix.length + i] != suffix[i]) {
        return false;
      }
    }
    return true;
  }

  private static long millis(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
