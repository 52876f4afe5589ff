package io.redstats.ingest.dedup;

import io.redstats.contract.event.StatEvent;

/**
 * Told about every repeat the topology drops. Called on the stream thread; under exactly-once a
 * task that is retried after a crash may report a repeat twice, so counts built on this are an
 * upper bound, never used for correctness.
 */
public interface DedupListener {

  /** The same image_id with the same content: a retry, harmless. */
  void duplicate(long imageId);

  /** The same image_id with different content: the first is kept, {@code dropped} is not. */
  void conflict(long imageId, StatEvent kept, StatEvent dropped);

  DedupListener NONE =
      new DedupListener() {
        @Override
        public void duplicate(long imageId) {}

        @Override
        public void conflict(long imageId, StatEvent kept, StatEvent dropped) {}
      };
}
