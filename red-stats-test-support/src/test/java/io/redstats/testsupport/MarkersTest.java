package io.redstats.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MarkersTest {

  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Integer> stored = new ConcurrentHashMap<>();

  @Test
  void returnsOnceAMarkerIsVisibleInEveryPartition() throws Exception {
    // Given a store that shows each posted id at once, in partition id % 3
    // When
    List<Long> markers =
        Markers.awaitBehindEverything(
            3, ids::incrementAndGet, id -> stored.put(id, (int) (id % 3)), this::lookup, timeout());

    // Then every partition has a visible marker
    assertThat(markers).isNotEmpty();
    assertThat(markers.stream().map(id -> stored.get(id)).distinct()).hasSize(3);
  }

  @Test
  void partitionThatNeverShowsAMarkerIsAFailureNotAPass() {
    // Given a partition (2) whose markers never become visible
    Markers.Poster post =
        id -> {
          if (id % 3 != 2) {
            stored.put(id, (int) (id % 3));
          }
        };

    // When / Then
    assertThatThrownBy(
            () ->
                Markers.awaitBehindEverything(
                    3, ids::incrementAndGet, post, this::lookup, Duration.ofMillis(500)))
        .hasMessageContaining("not visible")
        .hasMessageContaining("[0, 1] of 3");
  }

  private OptionalInt lookup(long id) {
    Integer partition = stored.get(id);
    return partition == null ? OptionalInt.empty() : OptionalInt.of(partition);
  }

  private static Duration timeout() {
    return Duration.ofSeconds(10);
  }
}
