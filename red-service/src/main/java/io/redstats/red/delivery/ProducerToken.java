package io.redstats.red.delivery;

import io.redstats.contract.auth.Scopes;
import io.redstats.contract.auth.TokenMinter;
import io.redstats.kit.ServiceKitProperties;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The bearer token RED sends to ingest: a service token (scope {@code ingest}, no {@code
 * client_id}) that RED signs itself with the deployment's secret, valid for {@code
 * producer-token-ttl} and replaced by a fresh one once half of that has passed. A fixed {@code
 * producer-token}, when configured, is sent as is instead (discouraged: it cannot be renewed).
 */
@Component
public class ProducerToken {

  private static final Logger log = LoggerFactory.getLogger(ProducerToken.class);

  /** The subject of RED's tokens: what ingest's logs name as the producer. */
  static final String SUBJECT = "red-service";

  private final String fixed;
  private final TokenMinter minter;
  private final Duration ttl;
  private final LongSupplier nanoClock;
  private String current;
  private long renewAtNanos;

  @Autowired
  ProducerToken(DeliveryProperties delivery, ServiceKitProperties kit) {
    this(delivery.producerToken(), kit.security(), delivery.producerTokenTtl(), System::nanoTime);
  }

  ProducerToken(
      String fixed, ServiceKitProperties.Security security, Duration ttl, LongSupplier nanoClock) {
    this.fixed = fixed == null || fixed.isBlank() ? null : fixed;
    this.minter = this.fixed == null ? new TokenMinter(security.secret()) : null;
    this.ttl = ttl;
    this.nanoClock = nanoClock;
    if (this.fixed != null) {
      log.warn(
          "redstats.red.producer-token is set: sending that fixed token to ingest. Discouraged;"
              + " unset it and RED signs its own short-lived tokens with the deployment's secret");
    }
  }

  /** The value of the Authorization header for the next request to ingest. */
  public synchronized String authorization() {
    if (fixed != null) {
      return "Bearer " + fixed;
    }
    long now = nanoClock.getAsLong();
    if (current == null || now - renewAtNanos >= 0) {
      current = minter.mint(SUBJECT, null, List.of(Scopes.INGEST), ttl);
      renewAtNanos = now + ttl.toNanos() / 2;
    }
    return "Bearer " + current;
  }
}
