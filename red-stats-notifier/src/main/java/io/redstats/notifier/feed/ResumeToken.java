package io.redstats.notifier.feed;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where an alert stream stands in the canonical topic: for each partition, the next offset not yet
 * covered. "Covered" means every record before it was matched (and sent) or skipped for this
 * client, so a reconnect that replays from these offsets misses nothing and repeats nothing.
 *
 * <p>On the wire it is opaque and URL-safe: base64url (no padding) of a version byte followed by
 * varint pairs (partition, offset) in partition order. A partition the token does not name is read
 * from its log start: it was created after the token was issued.
 */
public record ResumeToken(SortedMap<Integer, Long> positions) {

  /** Bumped when the binary layout changes; decoders refuse versions they do not know. */
  static final byte VERSION = 1;

  /** A token may not name more partitions than this; guards the decoder against garbage. */
  static final int MAX_PARTITIONS = 100_000;

  public ResumeToken {
    positions = Collections.unmodifiableSortedMap(new TreeMap<>(positions));
    for (Map.Entry<Integer, Long> e : positions.entrySet()) {
      if (e.getKey() < 0 || e.getValue() < 0) {
        throw new IllegalArgumentException("negative partition or offset in resume token");
      }
    }
  }

  public static ResumeToken of(Map<Integer, Long> positions) {
    return new ResumeToken(new TreeMap<>(positions));
  }

  /** The next offset to read in {@code partition}, or 0 (log start) when the token predates it. */
  public long positionOf(int partition) {
    return positions.getOrDefault(partition, 0L);
  }

  public String encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(2 + positions.size() * 6);
    out.write(VERSION);
    writeVarLong(out, positions.size());
    for (Map.Entry<Integer, Long> e : positions.entrySet()) {
      writeVarLong(out, e.getKey());
      writeVarLong(out, e.getValue());
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
  }

  /**
   * Reads a token this class wrote.
   *
   * @throws IllegalArgumentException when the text is not such a token
   */
  public static ResumeToken decode(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty resume token");
    }
    ByteBuffer in;
    try {
      in = ByteBuffer.wrap(Base64.getUrlDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("resume token is not base64url", e);
    }
    try {
      if (in.get() != VERSION) {
        throw new IllegalArgumentException("unknown resume token version");
      }
      long count = readVarLong(in);
      if (count > MAX_PARTITIONS) {
        throw new IllegalArgumentException("resume token names too many partitions");
      }
      TreeMap<Integer, Long> positions = new TreeMap<>();
      for (long i = 0; i < count; i++) {
        long partition = readVarLong(in);
        long offset = readVarLong(in);
        if (partition > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("partition out of range in resume token");
        }
        positions.put((int) partition, offset);
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException("trailing bytes in resume token");
      }
      return new ResumeToken(positions);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated resume token", e);
    }
  }

  private static void writeVarLong(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static long readVarLong(ByteBuffer in) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.get();
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (result < 0) {
          throw new IllegalArgumentException("negative number in resume token");
        }
        return result;
      }
    }
    throw new IllegalArgumentException("malformed number in resume token");
  }
}
