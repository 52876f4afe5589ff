package io.redstats.notifier.socket;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The WebSocket side of a node.
 *
 * @param sendQueueCapacity messages a session may have waiting; when full it is closed with 4408.
 *     1000 alerts (~150 B each) keeps a stuck client under ~200 KB of heap while riding out a burst
 *     of a second or two at a high alert rate.
 * @param sendTimeout how long one write to a client may block before the socket is given up, and
 *     how long a replay waits for room in a slow client's queue
 * @param pingInterval how often each client is pinged; below nginx's and proxies' idle timeouts
 * @param pongTimeout a client silent (no pong) this long is presumed dead and closed
 * @param socketSendBuffer the kernel send buffer of each connection (SO_SNDBUF). Set, not left to
 *     autotuning (up to 4 MB on Linux), so a stuck client holds at most this much kernel memory on
 *     top of its queue and falls behind its queue soon; 256 KB still fills a 100 Mbit/s link at 20
 *     ms round trip.
 * @param senderThreads sender loops writing to sockets; 0 means four per core (see {@code
 *     SocketConfig.SENDER_LOOPS_PER_CORE})
 * @param authTimeout how long a socket opened without an {@code Authorization} header has to send
 *     its {@code auth} message before it is closed with 4401. A client sends it as soon as the
 *     socket opens, so 5 s covers a slow link many times over, and a connection nobody
 *     authenticates holds a socket only that long.
 */
@ConfigurationProperties("redstats.notifier")
public record SocketProperties(
    @DefaultValue("1000") int sendQueueCapacity,
    @DefaultValue("20s") Duration sendTimeout,
    @DefaultValue("20s") Duration pingInterval,
    @DefaultValue("60s") Duration pongTimeout,
    @DefaultValue("256KB") DataSize socketSendBuffer,
    @DefaultValue("0") int senderThreads,
    @DefaultValue("5s") Duration authTimeout) {}
