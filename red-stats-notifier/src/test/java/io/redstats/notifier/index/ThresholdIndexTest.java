package io.redstats.notifier.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.contract.event.Red;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdIndexTest {

  private final ThresholdIndex<String> index = new ThresholdIndex<>();

  private List<String> matching(double red) {
    List<String> found = new ArrayList<>();
    index.forEachMatching(Red.toUnits(red), found::add);
    return found;
  }

  @Test
  void redEqualToThresholdDoesNotMatchAndOneUnitMoreDoes() {
    // Given a subscriber at 0.85
    index.add("a", Red.toUnits(0.85));

    // Then 0.85 is not above it, 0.85001 is
    assertThat(matching(0.85)).isEmpty();
    assertThat(matching(0.85001)).containsExactly("a");
  }

  @Test
  void onlySubscribersBelowTheRedAreWalked() {
    index.add("low", Red.toUnits(0.1));
    index.add("mid", Red.toUnits(0.5));
    index.add("high", Red.toUnits(0.9));

    assertThat(matching(0.6)).containsExactlyInAnyOrder("low", "mid");
    assertThat(matching(1.0)).containsExactlyInAnyOrder("low", "mid", "high");
    assertThat(matching(0.0)).isEmpty();
  }

  @Test
  void movedSubscriberMatchesAtItsNewThresholdOnly() {
    index.add("a", Red.toUnits(0.9));

    index.move("a", Red.toUnits(0.9), Red.toUnits(0.2));

    assertThat(matching(0.5)).containsExactly("a");
    index.move("a", Red.toUnits(0.2), Red.toUnits(0.95));
    assertThat(matching(0.9)).isEmpty();
  }

  @Test
  void removedSubscriberNoLongerMatchesAndEmptyIndexIsEmpty() {
    index.add("a", 10);
    index.add("b", 10);

    index.remove("a", 10);
    assertThat(matching(1.0)).containsExactly("b");
    index.remove("b", 10);

    assertThat(index.isEmpty()).isTrue();
  }
}
