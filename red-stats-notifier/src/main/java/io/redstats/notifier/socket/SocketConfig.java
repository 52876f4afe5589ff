package io.redstats.notifier.socket;

import io.micrometer.core.instrument.MeterRegistry;
import io.redstats.notifier.feed.LiveFeed;
import io.redstats.notifier.feed.ReplayService;
import io.redstats.notifier.index.SubscriptionIndex;
import io.redstats.notifier.security.SubscriberAuthenticator;
import io.redstats.notifier.subscription.ConnectionLog;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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
        tokenExpiry());
  }

  @Bean(destroyMethod = "close")
  TokenExpiry tokenExpiry() {
    return new TokenExpiry();
  }

  /**
   * Threads that write to sockets. Unbounded, because a write to a slow client blocks its thread
   * (up to {@code send-timeout}); a thread exists only while some session has something to send.
   */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService senders() {
    AtomicInteger count = new AtomicInteger();
    return Executors.newCachedThreadPool(
        r -> {
          Thread t = new Thread(r, "alert-sender-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
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

  @Bean
  TomcatConnectorCustomizer boundedSocketSendBuffer() {
    return connector ->
        connector.setProperty(
            TOMCAT_SEND_BUFFER, Long.toString(properties.socketSendBuffer().toBytes()));
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
