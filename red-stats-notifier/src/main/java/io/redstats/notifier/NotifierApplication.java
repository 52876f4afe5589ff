package io.redstats.notifier;

import io.redstats.notifier.socket.SocketConfig;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A RED_STATS notifier node: live alerts over WebSocket at {@code /alerts}. */
@SpringBootApplication
public class NotifierApplication {

  public static void main(String[] args) {
    SocketConfig.useSmallWebSocketBuffers();
    SpringApplication.run(NotifierApplication.class, args);
  }
}
