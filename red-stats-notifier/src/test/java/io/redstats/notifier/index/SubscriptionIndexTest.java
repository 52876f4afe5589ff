package io.redstats.notifier.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionIndexTest {

  private final SubscriptionIndex<String> index = new SubscriptionIndex<>();

  private List<String> matching(long clientId, int redUnits) {
    List<String> found = new ArrayList<>();
    index.forEachMatching(clientId, redUnits, found::add);
    return found;
  }

  @Test
  void ownClientSubscriberSeesOnlyItsClientsImages() {
    // Given client 7's own subscriber and one who sees every client
    index.add("own7", 7L, 0);
    index.add("all", null, 0);

    // Then an image of client 7 alerts both, one of client 8 only the one who sees all
    assertThat(matching(7, 50_000)).containsExactlyInAnyOrder("own7", "all");
    assertThat(matching(8, 50_000)).containsExactly("all");
  }

  @Test
  void removingTheLastSubscriberOfAClientLeavesNothingBehind() {
    index.add("own7", 7L, 100);
    index.remove("own7");

    assertThat(matching(7, 100_000)).isEmpty();
    index.add("again", 7L, 100);
    assertThat(matching(7, 100_000)).containsExactly("again");
  }

  @Test
  void removingASubscriberThatMovedRemovesItFromWhereItIsNow() {
    index.add("own7", 7L, 90_000);
    index.move("own7", 10_000);

    index.remove("own7");

    assertThat(matching(7, 100_000)).isEmpty();
  }

  @Test
  void addingASubscriberAgainLeavesItsOldPlace() {
    index.add("all", null, 90_000);

    index.add("all", null, 10_000);

    assertThat(matching(7, 50_000)).containsExactly("all");
    assertThat(matching(7, 100_000)).containsExactly("all");
  }

  @Test
  void movingASubscriberThatIsNotFiledDoesNothing() {
    index.move("gone", 10_000);

    assertThat(matching(7, 100_000)).isEmpty();
  }

  @Test
  void movingAPerClientSubscriberKeepsItsVisibility() {
    index.add("own7", 7L, 90_000);

    index.move("own7", 10_000);

    assertThat(matching(7, 50_000)).containsExactly("own7");
    assertThat(matching(8, 50_000)).isEmpty();
  }
}
