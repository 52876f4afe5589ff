package io.redstats.ingest.publish;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How requests are written to Kafka: in transactions shared by concurrent requests (group commit),
 * and how long a request may wait before it is answered 503.
 *
 * @param ackTimeout the longest a request waits for its transaction to commit; then 503. 10 s:
 *     longer than a leader election on a healthy cluster, shorter than an HTTP client's usual 30 s
 *     timeout, so the client hears "retry" instead of timing out itself
 * @param maxBlock Kafka's {@code max.block.ms}: the longest {@code send} blocks for metadata or
 *     buffer space, and the longest {@code commitTransaction}, {@code abortTransaction} and {@code
 *     initTransactions} wait. A commit starts only when every request in it has at least this much
 *     time left, so a request hears the outcome of its commit before its own ack timeout
 * @param deliveryTimeout Kafka's {@code delivery.timeout.ms}: the producer gives up on a record
 *     after this long (and its transaction then aborts)
 * @param retryAfter the {@code Retry-After} a 503 carries
 * @param lingerMs Kafka's {@code linger.ms}. 5: longer than the commit interval, so a short
 *     transaction's records wait for the commit's flush and go to the broker as one request instead
 *     of one per record. Measured against 0 with {@code bench/ingest/ab.sh}: the broker spent 26 %
 *     less CPU per single-event request at 16 connections (and answered 14 % more of them) and 13 %
 *     less per event in batches of 1 000; with 10 ms, 17 % less at 128 connections
 * @param producers transactional producers in the pool: while one commits, the next takes new
 *     requests. 3 keeps a commit, a filling transaction and a spare on a small box
 * @param transactionalIdPrefix the start of every producer's {@code transactional.id}; the rest is
 *     the node id and the producer's index, so a restarted node fences its own previous instance
 * @param nodeId this node's name in the transactional ids; empty = host name and {@code
 *     server.port}. Must differ between nodes sharing a cluster and stay the same across restarts
 * @param transactionTimeout Kafka's {@code transaction.timeout.ms}: the broker aborts a transaction
 *     left open this long. Short (20 s), because until it ends the read_committed dedup cannot read
 *     past it (the last stable offset waits); normally the pool's own recovery aborts it sooner
 * @param commitInterval group commit: a transaction commits when it has been open this long (and no
 *     other commit of the node is running). 2 ms: long enough for concurrent requests to join,
 *     short next to the commit round trips
 * @param commitRecords group commit: a transaction commits as soon as it holds this many records
 * @param recoveryBackoff first pause before a broken producer is replaced again (doubles up to ten
 *     times this), so a node does not hammer a broker that is down
 */
@ConfigurationProperties("redstats.publish")
public record PublishProperties(
    @DefaultValue("10s") Duration ackTimeout,
    @DefaultValue("2s") Duration maxBlock,
    @DefaultValue("9s") Duration deliveryTimeout,
    @DefaultValue("5s") Duration retryAfter,
    @DefaultValue("5") int lingerMs,
    @DefaultValue("3") int producers,
    @DefaultValue("redstats-ingest-") String transactionalIdPrefix,
    @DefaultValue("") String nodeId,
    @DefaultValue("20s") Duration transactionTimeout,
    @DefaultValue("2ms") Duration commitInterval,
    @DefaultValue("20000") int commitRecords,
    @DefaultValue("500ms") Duration recoveryBackoff) {

  public PublishProperties {
    if (producers < 1) {
      throw new IllegalArgumentException("redstats.publish.producers must be at least 1");
    }
    if (maxBlock.compareTo(ackTimeout) >= 0) {
      throw new IllegalArgumentException(
          "redstats.publish.max-block must be shorter than redstats.publish.ack-timeout: a commit"
              + " needs up to max-block and must end before the request's ack timeout");
    }
  }
}
