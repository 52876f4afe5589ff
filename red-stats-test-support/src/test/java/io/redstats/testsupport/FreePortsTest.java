package io.redstats.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void neverHandsOutTheSamePortTwice() {
    assertThat(IntStream.range(0, 50).map(i -> FreePorts.next()).boxed().toList())
        .doesNotHaveDuplicates()
        .allMatch(port -> port > 0 && port < 65536);
  }

  @Test
  void portsComeFromBelowTheEphemeralRangeSoNoClientCanSelfConnectToThem() {
    int ephemeralStart = FreePorts.ephemeralStart();
    assertThat(ephemeralStart).isGreaterThan(21_000);

    assertThat(IntStream.range(0, 20).map(i -> FreePorts.next()).boxed().toList())
        .allMatch(port -> port >= 20_000 && port < ephemeralStart);
  }
}
