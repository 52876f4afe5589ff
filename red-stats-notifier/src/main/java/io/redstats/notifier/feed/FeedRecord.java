package io.redstats.notifier.feed;

import io.redstats.contract.event.StatEvent;
import java.util.function.Supplier;

/**
 * One canonical record as the feed hands it on: the event, where it sits in the topic, the time
 * ingest accepted it (the Kafka record timestamp), and the resume token an alert for it carries.
 *
 * @param sequence increases by one per record the live feed dispatches; replayed records carry -1
 * @param tokenAfter the stream's positions once this record is covered; computed on first use
 */
public record FeedRecord(
    long sequence,
    int partition,
    long offset,
    long acceptedAtMs,
    StatEvent event,
    Supplier<ResumeToken> tokenAfter) {}
