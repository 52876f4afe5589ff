package io.redstats.notifier.socket;

import io.micrometer.core.instrument.MeterRegistry;
import io.redstats.notifier.feed.LiveFeed;
import io.redstats.notifier.feed.ReplayService;
import io.redstats.notifier.index.SubscriptionIndex;
import io.redstats.notifier.security.SubscriberAuthenticator;
import io.redstats.notifier.subscription.ConnectionLog;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/** The {@code /alerts} endpoint and what it is made of. */
@Configuration
@EnableWebSocket
@EnableConfigurationProperties(SocketProperties.class)
public class SocketConfig implements WebSocketConfigurer {

  /** The path is part of the protocol: clients and nginx know it. */
  public static final String PATH = "/alerts";

  private final SubscriberAuthenticator authenticator;
  private final SocketProperties properties;
  private final ConnectionLog connections;
  private final MeterRegistry registry;
  private final LiveFeed feed;
  private final ReplayService replay;
  private final SubscriptionIndex<AlertSession> index;
  private final Map<String, AlertSession> sessions = AlertSocketHandler.sessionMap();

  public SocketConfig(
      SubscriberAuthenticator authenticator,
      SocketProperties properties,
      ConnectionLog connections,
      MeterRegistry registry,
      LiveFeed feed,
      ReplayService replay,
      SubscriptionIndex<AlertSession> index) {
    this.authenticator = authenticator;
    this.properties = properties;
    this.connections = connections;
    this.registry = registry;
    this.feed = feed;
    this.replay = replay;
    this.index = index;
  }

  @Bean
  AlertSocketHandler alertSocketHandler() {
    return new AlertSocketHandler(
        index,
        feed,
        replay,
        connections,
        properties,
        senders(),
        sessions,
        new AlertMetrics(registry, sessions),
        tokenExpiry(),
        authenticator);
  }

  @Bean(destroyMethod = "close")
  TokenExpiry tokenExpiry() {
    return new TokenExpiry();
  }

  /**
   * Sender loops per core when {@code sender-threads} is 0. One per core wrote the most alerts per
   * CPU second, but on a machine the node shares (clients, broker) a loop that is preempted
   * mid-drain holds up the sessions behind it: at 2 000 events/s, load ~25, one per core gave p99
   * 1.5–7 s, four per core 160 ms.
   */
  static final int SENDER_LOOPS_PER_CORE = 4;

  /**
   * Threads that write to sockets: {@code sender-threads} loops (default {@link
   * #SENDER_LOOPS_PER_CORE} per core), one more while all of them are blocked on slow clients.
   */
  @Bean(destroyMethod = "close")
  AlertSenders senders() {
    int loops = properties.senderThreads();
    return new AlertSenders(
        loops > 0 ? loops : SENDER_LOOPS_PER_CORE * Runtime.getRuntime().availableProcessors());
  }

  /**
   * Clients send only tiny threshold changes; Tomcat's default 8 KB text and binary buffers per
   * session would be most of a connection's heap at 10 000 subscribers.
   */
  static final int INBOUND_MESSAGE_BUFFER = 1024;

  @Bean
  ServletServerContainerFactoryBean webSocketContainer() {
    ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
    container.setMaxTextMessageBufferSize(INBOUND_MESSAGE_BUFFER);
    container.setMaxBinaryMessageBufferSize(INBOUND_MESSAGE_BUFFER);
    return container;
  }

  /** Tomcat's name for SO_SNDBUF of accepted connections. */
  private static final String TOMCAT_SEND_BUFFER = "socket.txBufSize";

  /**
   * Tomcat's application read and write buffers of every connection (8 KB each by default). An
   * upgraded connection only reads tiny threshold changes and pongs, and its frames go out through
   * the WebSocket buffers, not these; the handshake's headers have a buffer of their own ({@code
   * server.max-http-request-header-size}) and HTTP responses here are small.
   */
  private static final String TOMCAT_READ_BUFFER = "socket.appReadBufSize";

  private static final String TOMCAT_WRITE_BUFFER = "socket.appWriteBufSize";
  static final int CONNECTION_BUFFER = 2048;

  /**
   * Tomcat's WebSocket buffers of every session (frame input, output, text encoder: 8 KB each by
   * default), read once from this system property when Tomcat's WebSocket classes load. An alert is
   * ~200 bytes, so 2 KB still batches ~10 of them into one write for a client that fell behind; a
   * longer message goes out in fragments, which every WebSocket client reassembles.
   */
  static final String WEBSOCKET_BUFFER_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

  static final int WEBSOCKET_BUFFER = 2048;

  /**
   * Together with the connection buffers this takes a connection from ~55 KB of heap to ~25 KB.
   * Must run before the server starts; a {@code -D} given on the command line wins.
   */
  public static void useSmallWebSocketBuffers() {
    if (System.getProperty(WEBSOCKET_BUFFER_PROPERTY) == null) {
      System.setProperty(WEBSOCKET_BUFFER_PROPERTY, Integer.toString(WEBSOCKET_BUFFER));
    }
  }

  @Bean
  TomcatConnectorCustomizer boundedSocketBuffers() {
    return connector -> {
      connector.setProperty(
          TOMCAT_SEND_BUFFER, Long.toString(properties.socketSendBuffer().toBytes()));
      connector.setProperty(TOMCAT_READ_BUFFER, Integer.toString(CONNECTION_BUFFER));
      connector.setProperty(TOMCAT_WRITE_BUFFER, Integer.toString(CONNECTION_BUFFER));
    };
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    registry
        .addHandler(alertSocketHandler(), PATH)
        .addInterceptors(new SubscribeHandshake(authenticator, feed))
        // Tokens, not cookies, authenticate: a page of any origin (the dashboard) may connect.
        .setAllowedOriginPatterns("*");
  }
}
