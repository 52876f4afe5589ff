package io.redstats.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void ackRateSpansTheLastAckOfEitherPath() {
    // Given 10 direct acks over 10 s and one RED ack early on
    long start = 5 * SECOND;
    List<LoadGenerator.Acked> acks =
        LongStream.rangeClosed(1, 10)
            .mapToObj(i -> new LoadGenerator.Acked(i, 1, 0, false, start + i * SECOND))
            .collect(Collectors.toCollection(ArrayList::new));
    acks.add(new LoadGenerator.Acked(99, 1, 0, true, start + 2 * SECOND));

    // When / Then: 11 acks over 10 s, not over the 2 s until the RED ack
    assertThat(LoadGenerator.perSecond(acks, start)).isCloseTo(1.1, within(1e-9));
  }

  @Test
  void noAcksIsZeroPerSecond() {
    assertThat(LoadGenerator.perSecond(List.of(), 0)).isZero();
  }
}
