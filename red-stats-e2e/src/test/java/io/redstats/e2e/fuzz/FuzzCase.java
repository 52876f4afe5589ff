package io.redstats.e2e.fuzz;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One bad input: what is sent, to which endpoint, and under which category it is counted.
 *
 * <p>An HTTP case is a {@link Request} (for the notifier: the WebSocket handshake). A notifier
 * message case also has a {@link Frame}, sent on a socket that opened normally.
 *
 * @param authAbuse true when the case is about the credentials themselves, so 401 is a right
 *     answer; otherwise the token is valid and a 401 means the input was never looked at
 * @param knownBug when not null, the case is a known failure (the bug it shows): it is listed, not
 *     sent, unless the run asks for known failures too
 */
public record FuzzCase(
    String endpoint,
    String category,
    String name,
    Target target,
    Request request,
    Frame frame,
    boolean authAbuse,
    String knownBug) {

  /** Which server the case is sent to. */
  public enum Target {
    INGEST,
    API,
    NOTIFIER,
    RED
  }

  public FuzzCase knownBug(String bug) {
    return new FuzzCase(endpoint, category, name, target, request, frame, authAbuse, bug);
  }

  public FuzzCase asAuthAbuse() {
    return new FuzzCase(endpoint, category, name, target, request, frame, true, knownBug);
  }

  /** The case as a reproduction: the request (or frame) in full up to a sane length. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    text.append(endpoint).append(" / ").append(category).append(" / ").append(name).append('\n');
    if (request != null) {
      text.append(abbreviate(new String(request.render("HOST:PORT"), ISO_8859_1), 2000));
    }
    if (frame != null) {
      text.append("\nthen on the open socket: ").append(frame);
    }
    return text.toString();
  }

  /** Printable, at most MAX characters: control and non-ASCII bytes as \xNN, long runs cut. */
  public static String abbreviate(String text, int max) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < max; i++) {
      char c = text.charAt(i);
      if (c == '\r') {
        out.append("\\r");
      } else if (c == '\n') {
        out.append("\\n\n");
      } else if (c < 0x20 || c >= 0x7f) {
        out.append(String.format("\\x%02X", (int) c & 0xff));
      } else {
        out.append(c);
      }
    }
    if (out.length() >= max) {
      out.append("… (").append(text.length()).append(" characters in all)");
    }
    return out.toString();
  }

  /**
   * An HTTP/1.1 request as raw text: header lines are ISO-8859-1 strings, so any byte can be put in
   * them. {@code Host}, {@code Connection: close} and {@code Content-Length} are added unless the
   * case says otherwise.
   */
  public record Request(
      String method,
      String path,
      List<String> headers,
      byte[] body,
      boolean host,
      boolean contentLength,
      boolean halfClose) {

    public static Request of(String method, String path) {
      return new Request(method, path, List.of(), new byte[0], true, true, false);
    }

    public Request header(String line) {
      List<String> more = new ArrayList<>(headers);
      more.add(line);
      return new Request(method, path, more, body, host, contentLength, halfClose);
    }

    /** A header whose value is UTF-8 bytes (or any bytes), sent as they are. */
    public Request headerBytes(String name, byte[] value) {
      return header(name + ": " + new String(value, ISO_8859_1));
    }

    public Request body(byte[] bytes) {
      return new Request(method, path, headers, bytes, host, contentLength, halfClose);
    }

    public Request withoutHost() {
      return new Request(method, path, headers, body, false, contentLength, halfClose);
    }

    /** No automatic {@code Content-Length}: the case sets its own, or sends chunks. */
    public Request withoutContentLength() {
      return new Request(method, path, headers, body, host, false, halfClose);
    }

    public Request halfClosed() {
      return new Request(method, path, headers, body, host, contentLength, true);
    }

    public byte[] render(String hostAndPort) {
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      if (host) {
        head.append("Host: ").append(hostAndPort).append("\r\n");
      }
      for (String line : headers) {
        head.append(line).append("\r\n");
      }
      boolean upgrade = headers.stream().anyMatch(h -> h.regionMatches(true, 0, "Upgrade:", 0, 8));
      if (!upgrade) {
        head.append("Connection: close\r\n");
      }
      if (contentLength && (body.length > 0 || method.equals("POST"))) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("\r\n");
      ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + body.length);
      out.writeBytes(head.toString().getBytes(ISO_8859_1));
      out.writeBytes(body);
      return out.toByteArray();
    }
  }

  /** A WebSocket frame sent by the client: opcode, payload, masked or not (clients must mask). */
  public record Frame(int opcode, byte[] payload, boolean masked) {

    public static Frame text(byte[] payload) {
      return new Frame(0x1, payload, true);
    }

    @Override
    public String toString() {
      return "frame opcode "
          + opcode
          + (masked ? "" : " UNMASKED")
          + ", "
          + payload.length
          + " bytes: "
          + abbreviate(new String(payload, ISO_8859_1), 500);
    }
  }
}
