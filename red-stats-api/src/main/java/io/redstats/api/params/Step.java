package io.redstats.api.params;

import java.util.Arrays;
import java.util.Optional;

/**
 * The bucket widths of {@code /stats/series}; buckets start at whole multiples since the epoch
 * (UTC).
 */
public enum Step {
  ONE_MINUTE("1m", 60_000L),
  FIVE_MINUTES("5m", 300_000L),
  ONE_HOUR("1h", 3_600_000L),
  ONE_DAY("1d", 86_400_000L);

  private final String label;
  private final long millis;

  Step(String label, long millis) {
    this.label = label;
    this.millis = millis;
  }

  public String label() {
    return label;
  }

  public long millis() {
    return millis;
  }

  public static Optional<Step> of(String label) {
    return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst();
  }

  public static String labels() {
    return String.join(", ", Arrays.stream(values()).map(Step::label).toList());
  }
}
