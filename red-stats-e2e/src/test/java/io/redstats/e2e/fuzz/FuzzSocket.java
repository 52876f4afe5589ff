package io.redstats.e2e.fuzz;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A WebSocket client written against RFC 6455 frame by frame over a plain socket. Hand-written on
 * purpose, like {@link FuzzWire}: a conforming client library cannot send an unmasked frame, a
 * reserved opcode, or a text frame that is not UTF-8, which is what the notifier must survive.
 */
public final class FuzzSocket implements AutoCloseable {

  /** The largest server frame kept; the notifier's messages are a few hundred bytes. */
  private static final int MAX_KEPT_FRAME = 1 << 20;

  private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** What the server did: a status refusing the handshake, a message, or a close. */
  public record Event(String kind, int code, String text, long millis) {

    static final String HTTP = "http";
    static final String TEXT = "text";
    static final String CLOSE = "close";
    static final String TIMEOUT = "timeout";
    static final String EOF = "eof";

    @Override
    public String toString() {
      return kind + (code != 0 ? " " + code : "") + " " + FuzzCase.abbreviate(text, 300);
    }
  }

  private FuzzSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** The result of a handshake: an open socket (status 101), or the refusal and no socket. */
  public record Handshake(FuzzSocket socket, Event answer) {}

  public static Handshake open(String host, int port, byte[] handshake, Duration timeout)
      throws IOException {
    long start = System.nanoTime();
    Socket raw = new Socket();
    raw.connect(new InetSocketAddress(host, port), 5_000);
    FuzzSocket socket = new FuzzSocket(raw);
    try {
      socket.send(handshake, timeout);
      raw.setSoTimeout((int) timeout.toMillis());
      String head = socket.readHead();
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (head == null) {
        socket.close();
        return new Handshake(null, new Event(Event.EOF, 0, "", millis));
      }
      int status = status(head);
      if (status == 101) {
        return new Handshake(socket, new Event(Event.HTTP, 101, head, millis));
      }
      String body = socket.readSome(head);
      socket.close();
      return new Handshake(null, new Event(Event.HTTP, status, head + "\n\n" + body, millis));
    } catch (SocketTimeoutException e) {
      socket.close();
      return new Handshake(
          null, new Event(Event.TIMEOUT, 0, "", (System.nanoTime() - start) / 1_000_000));
    } catch (IOException e) {
      socket.close();
      return new Handshake(
          null, new Event(Event.EOF, 0, e.toString(), (System.nanoTime() - start) / 1_000_000));
    }
  }

  /** Sends FRAME; written by its own thread so that a server closing mid-frame is still heard. */
  public void send(FuzzCase.Frame frame) {
    sendAsync(encode(frame));
  }

  /**
   * The next text message or close, skipping pings (answered) and pongs; a timeout or the end of
   * the stream when neither comes.
   */
  public Event next(Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return new Event(Event.TIMEOUT, 0, "", timeout.toMillis());
        }
        socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
        int b0 = in.read();
        if (b0 < 0) {
          return new Event(Event.EOF, 0, "", elapsed(start));
        }
        int opcode = b0 & 0x0f;
        byte[] payload = readPayload();
        if (opcode == 0x1) {
          return new Event(Event.TEXT, 0, new String(payload, UTF_8), elapsed(start));
        }
        if (opcode == 0x8) {
          int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
          String reason =
              payload.length > 2 ? new String(payload, 2, payload.length - 2, UTF_8) : "";
          return new Event(Event.CLOSE, code, reason, elapsed(start));
        }
        if (opcode == 0x9) {
          sendAsync(encode(new FuzzCase.Frame(0xA, payload, true)));
        }
      }
    } catch (SocketTimeoutException e) {
      return new Event(Event.TIMEOUT, 0, "", elapsed(start));
    } catch (IOException e) {
      return new Event(Event.EOF, 0, e.toString(), elapsed(start));
    }
  }

  /** Ends politely: a close frame 1000, then the socket. */
  @Override
  public void close() {
    try {
      if (!socket.isClosed()) {
        out.write(encode(new FuzzCase.Frame(0x8, new byte[] {0x03, (byte) 0xe8}, true)));
        out.flush();
      }
    } catch (IOException e) {
      // already gone: nothing to say goodbye to
    }
    try {
      socket.close();
    } catch (IOException e) {
      // closing a socket that failed: nothing left to release
    }
  }

  private void send(byte[] bytes, Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    out.write(bytes);
    out.flush();
  }

  private void sendAsync(byte[] bytes) {
    Thread writer =
        new Thread(
            () -> {
              try {
                synchronized (out) {
                  out.write(bytes);
                  out.flush();
                }
              } catch (IOException e) {
                // the server closed while the frame was going out: its close is what counts
              }
            },
            "fuzz-ws-writer");
    writer.setDaemon(true);
    writer.start();
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = "\r\n\r\n".getBytes(ISO_8859_1);
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        return head.size() == 0 ? null : head.toString(ISO_8859_1);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
      if (head.size() > 64 * 1024) {
        break;
      }
    }
    return head.toString(ISO_8859_1);
  }

  /** Up to 4 KB of a refusal's body (for the report), without waiting long for it. */
  private String readSome(String head) {
    try {
      socket.setSoTimeout(2_000);
      long length = 4096;
      for (String line : head.split("\r\n")) {
        if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
          length = Math.min(length, Long.parseLong(line.substring(15).trim()));
        }
      }
      byte[] body = in.readNBytes((int) length);
      return new String(body, UTF_8);
    } catch (IOException | NumberFormatException e) {
      return "";
    }
  }

  private byte[] readPayload() throws IOException {
    int b1 = readByte();
    boolean masked = (b1 & 0x80) != 0;
    long length = b1 & 0x7f;
    if (length == 126) {
      length = ((long) readByte() << 8) | readByte();
    } else if (length == 127) {
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = (length << 8) | readByte();
      }
    }
    byte[] mask = masked ? in.readNBytes(4) : null;
    if (length > MAX_KEPT_FRAME) {
      in.skipNBytes(length);
      return new byte[0];
    }
    byte[] payload = in.readNBytes((int) length);
    if (payload.length < length) {
      throw new IOException("stream ended inside a frame");
    }
    if (mask != null) {
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i % 4];
      }
    }
    return payload;
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new IOException("stream ended inside a frame");
    }
    return b;
  }

  static byte[] encode(FuzzCase.Frame frame) {
    byte[] payload = frame.payload();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 14);
    bytes.write(0x80 | frame.opcode());
    int maskBit = frame.masked() ? 0x80 : 0;
    if (payload.length < 126) {
      bytes.write(maskBit | payload.length);
    } else if (payload.length < 65536) {
      bytes.write(maskBit | 126);
      bytes.write(payload.length >>> 8);
      bytes.write(payload.length & 0xff);
    } else {
      bytes.write(maskBit | 127);
      long length = payload.length;
      for (int shift = 56; shift >= 0; shift -= 8) {
        bytes.write((int) (length >>> shift) & 0xff);
      }
    }
    if (frame.masked()) {
      bytes.writeBytes(MASK);
      byte[] masked = payload.clone();
      for (int i = 0; i < masked.length; i++) {
        masked[i] ^= MASK[i % 4];
      }
      bytes.writeBytes(masked);
    } else {
      bytes.writeBytes(payload);
    }
    return bytes.toByteArray();
  }

  private static int status(String head) {
    String[] parts = head.lines().findFirst().orElse("").split(" ", 3);
    try {
      return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long elapsed(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
