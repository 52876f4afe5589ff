package io.redstats.notifier.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client that opens a stream and then does not read: the slowest client there is. A
 * plain socket with a small receive buffer, so the server's writes stall quickly. {@link
 * #readUntilClose} then reads everything and returns the code of the server's close frame.
 */
final class StuckClient implements AutoCloseable {

  /** Small, so a few kilobytes of alerts fill the client side of the connection. */
  private static final int RECEIVE_BUFFER = 4096;

  private final Socket socket;

  StuckClient(int port, String pathAndQuery, String token) throws IOException {
    socket = new Socket();
    socket.setReceiveBufferSize(RECEIVE_BUFFER);
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
    String key =
        Base64.getEncoder().encodeToString("stuck-client-key".getBytes(StandardCharsets.US_ASCII));
    String request =
        "GET "
            + pathAndQuery
            + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + port
            + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + key
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Authorization: Bearer "
            + token
            + "\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String status = readHeaders(socket.getInputStream());
    if (!status.startsWith("HTTP/1.1 101")) {
      throw new IOException("handshake refused: " + status);
    }
  }

  private static String readHeaders(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed during handshake");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    return text.substring(0, text.indexOf("\r\n"));
  }

  /**
   * Reads frames until the server's close frame; returns its code and how many texts came first.
   */
  record Outcome(int closeCode, int textFrames) {}

  Outcome readUntilClose(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    DataInputStream in = new DataInputStream(socket.getInputStream());
    int texts = 0;
    try {
      while (true) {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7F;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        int opcode = b0 & 0x0F;
        if (opcode == 0x8) {
          int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
          return new Outcome(code, texts);
        }
        if (opcode == 0x1) {
          texts++;
        }
      }
    } catch (EOFException | SocketTimeoutException e) {
      return new Outcome(1006, texts);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
