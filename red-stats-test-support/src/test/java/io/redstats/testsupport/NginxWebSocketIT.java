package io.redstats.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealServersExtension.class)
class NginxWebSocketIT {

  private static final int TIMEOUT_MS = 10_000;

  @Test
  void upgradeRequestIsPassedThroughAndTheConnectionBecomesATunnel(RealServers servers)
      throws Exception {
    try (ServerSocket upstream = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Nginx nginx = servers.nginx(List.of(upstream.getLocalPort()))) {
      // Given an upstream that switches protocols and then echoes bytes
      CompletableFuture<List<String>> seenHeaders =
          CompletableFuture.supplyAsync(() -> echo(upstream));

      try (Socket client = new Socket("127.0.0.1", nginx.port())) {
        client.setSoTimeout(TIMEOUT_MS);
        OutputStream out = client.getOutputStream();
        InputStream in = client.getInputStream();

        // When a client asks for a WebSocket through the balancer
        out.write(
            ("GET /alerts HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();

        // Then it gets 101, and bytes flow both ways on the same connection
        assertThat(readHead(in).get(0)).startsWith("HTTP/1.1 101");
        out.write("frame".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("frame");
      }
      assertThat(seenHeaders.get(TIMEOUT_MS, TimeUnit.MILLISECONDS))
          .contains("upgrade: websocket", "connection: upgrade");
    }
  }

  /** Accepts one connection, answers 101, echoes five bytes; returns the request headers. */
  private static List<String> echo(ServerSocket upstream) {
    try (Socket socket = upstream.accept()) {
      socket.setSoTimeout(TIMEOUT_MS);
      InputStream in = socket.getInputStream();
      List<String> head = readHead(in);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(in.readNBytes(5));
      out.flush();
      return head.stream().map(line -> line.toLowerCase(Locale.ROOT)).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads the status or request line and headers, byte by byte so nothing after them is eaten. */
  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        String text = line.toString().strip();
        if (text.isEmpty()) {
          return lines;
        }
        lines.add(text);
        line.setLength(0);
      } else {
        line.append((char) b);
      }
    }
    throw new IOException("connection closed in the middle of the head: " + lines);
  }
}
