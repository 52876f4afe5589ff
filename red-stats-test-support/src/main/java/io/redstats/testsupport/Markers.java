package io.redstats.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Evidence that nothing sent before now is still on its way, in place of a fixed sleep before a
 * count: markers — new events posted after the suspects were acknowledged — until one marker is
 * visible in every partition. A partition is processed in order, so a marker visible in partition P
 * means that everything acknowledged in P before the marker was posted has been processed too: a
 * duplicate or a late copy of a suspect would be there by then, to be counted.
 *
 * <pre>{@code
 * Markers.awaitBehindEverything(6, IngestITSupport::freshImageId,
 *     id -> postJson(anEvent(id)), id -> partitionOfRow(id), Duration.ofSeconds(30));
 * }</pre>
 */
public final class Markers {

  private static final Duration POLL = Duration.ofMillis(200);

  /**
   * Markers per partition in a round: they land on partitions by their hash, and four per partition
   * leave few partitions without one; a later round covers those.
   */
  private static final int PER_PARTITION = 4;

  /** Posts the event with id ID and returns once it is acknowledged (throws otherwise). */
  @FunctionalInterface
  public interface Poster {
    void post(long id) throws Exception;
  }

  /** The partition the stored event ID came through, or empty while it is not visible yet. */
  @FunctionalInterface
  public interface Lookup {
    OptionalInt partitionIfVisible(long id) throws Exception;
  }

  private Markers() {}

  /**
   * Posts markers with ids from FRESH_IDS and waits until, in each of the PARTITIONS partitions
   * (numbered from 0), one is visible; throws, naming the partitions without a visible marker, when
   * TIMEOUT runs out first. Returns the marker ids (visible or not), for a caller that wants to
   * leave them out of a count.
   */
  public static List<Long> awaitBehindEverything(
      int partitions, LongSupplier freshIds, Poster post, Lookup lookup, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Long> markers = new ArrayList<>();
    Set<Integer> covered = new TreeSet<>();
    while (covered.size() < partitions) {
      List<Long> round = new ArrayList<>();
      for (int i = 0; i < partitions * PER_PARTITION; i++) {
        long id = freshIds.getAsLong();
        post.post(id);
        round.add(id);
      }
      markers.addAll(round);
      // Every marker of this round, visible: then the partitions they came through are covered.
      while (!round.isEmpty()) {
        for (var it = round.iterator(); it.hasNext(); ) {
          OptionalInt partition = lookup.partitionIfVisible(it.next());
          if (partition.isPresent()) {
            covered.add(partition.getAsInt());
            it.remove();
          }
        }
        if (round.isEmpty()) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              round.size()
                  + " marker(s) not visible within "
                  + timeout
                  + "; partitions with a visible marker: "
                  + covered
                  + " of "
                  + partitions);
        }
        Processes.sleep(POLL);
      }
    }
    return markers;
  }
}
