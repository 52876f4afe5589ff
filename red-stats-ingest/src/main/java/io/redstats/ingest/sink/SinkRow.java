package io.redstats.ingest.sink;

import io.redstats.contract.event.StatEvent;

/**
 * One row of the {@code events} table: the event, where it sits in the canonical topic, and when
 * ingest accepted it (the Kafka record timestamp).
 */
record SinkRow(StatEvent event, int partition, long offset, long ingestedMs) {}
