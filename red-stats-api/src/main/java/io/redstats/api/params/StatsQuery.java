package io.redstats.api.params;

import io.redstats.contract.event.Red;
import java.math.BigDecimal;

/**
 * A validated question: images with {@code fromMs <= timestamp < toMs}, and how many of them had
 * red strictly above {@code thresholdUnits}; for one client, or every visible one when {@code
 * clientId} is null.
 */
public record StatsQuery(long fromMs, long toMs, int thresholdUnits, Long clientId) {

  public BigDecimal threshold() {
    return Red.toDecimal(thresholdUnits);
  }

  public StatsQuery forClient(Long client) {
    return new StatsQuery(fromMs, toMs, thresholdUnits, client);
  }
}
