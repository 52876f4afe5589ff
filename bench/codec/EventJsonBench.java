import io.redstats.contract.event.EventJson;
import io.redstats.contract.event.Red;
import io.redstats.contract.event.StatEvent;
import java.util.Locale;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The canonical event codec (every Kafka record of RED_STATS goes through it) against the Jackson
 * tree codec it replaced, on the same events in the same run. Prints KEY=VALUE lines.
 *
 * <p>Run: {@code bench/codec/run.sh} (builds the contract module if needed).
 */
public final class EventJsonBench {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final int EVENTS = 100_000;
  private static final int ROUNDS = 15;

  static byte[] treeWrite(StatEvent e) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("image_id", e.imageId());
    node.put("client_id", e.clientId());
    node.put("timestamp", e.timestampMs());
    node.put("red", e.red());
    return MAPPER.writeValueAsBytes(node);
  }

  static StatEvent treeRead(byte[] bytes) {
    JsonNode node = MAPPER.readTree(bytes);
    return new StatEvent(
        node.required("image_id").longValue(),
        node.required("client_id").longValue(),
        node.required("timestamp").longValue(),
        Red.toUnits(node.required("red").decimalValue()));
  }

  public static void main(String[] args) {
    SplittableRandom random = new SplittableRandom(7);
    StatEvent[] events = new StatEvent[EVENTS];
    byte[][] encoded = new byte[EVENTS][];
    for (int i = 0; i < EVENTS; i++) {
      events[i] =
          new StatEvent(
              random.nextLong(1, Long.MAX_VALUE),
              random.nextLong(1, 1000),
              random.nextLong(1_700_000_000_000L, 1_800_000_000_000L),
              random.nextInt(0, Red.SCALE + 1));
      encoded[i] = EventJson.toBytes(events[i]);
    }
    double treeWrite = 0, write = 0, treeRead = 0, read = 0;
    long sink = 0;
    for (int round = 0; round < ROUNDS; round++) {
      boolean measured = round >= ROUNDS / 3; // the first third warms the JIT
      long t0 = System.nanoTime();
      for (StatEvent e : events) sink += treeWrite(e).length;
      long t1 = System.nanoTime();
      for (StatEvent e : events) sink += EventJson.toBytes(e).length;
      long t2 = System.nanoTime();
      for (byte[] b : encoded) sink += treeRead(b).redUnits();
      long t3 = System.nanoTime();
      for (byte[] b : encoded) sink += EventJson.fromBytes(b).redUnits();
      long t4 = System.nanoTime();
      if (measured) {
        treeWrite += t1 - t0;
        write += t2 - t1;
        treeRead += t3 - t2;
        read += t4 - t3;
      }
    }
    int measuredEvents = EVENTS * (ROUNDS - ROUNDS / 3);
    print("write.events_per_s", measuredEvents / (write / 1e9));
    print("write.tree_events_per_s", measuredEvents / (treeWrite / 1e9));
    print("write.time_ratio", write / treeWrite);
    print("read.events_per_s", measuredEvents / (read / 1e9));
    print("read.tree_events_per_s", measuredEvents / (treeRead / 1e9));
    print("read.time_ratio", read / treeRead);
    System.out.println("checksum=" + sink);
  }

  private static void print(String key, double value) {
    System.out.printf(Locale.ROOT, value < 10 ? "%s=%.2f%n" : "%s=%.0f%n", key, value);
  }
}
