package io.redstats.api.stats;

/**
 * One step of a series.
 *
 * @param start epoch milliseconds where the bucket starts (a multiple of the step); the first and
 *     last bucket count only the part inside {@code [from, to)}
 */
public record Bucket(long start, long images, long above) {}
