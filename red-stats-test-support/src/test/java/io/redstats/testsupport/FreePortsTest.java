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
}
