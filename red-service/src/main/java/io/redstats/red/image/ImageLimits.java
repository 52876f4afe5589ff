package io.redstats.red.image;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on one upload, checked before the work they guard.
 *
 * @param maxBytes the largest body read (raw or the multipart file part); larger is 413 before more
 *     than this is buffered. 20 MiB holds a 12-megapixel JPEG with room to spare.
 * @param maxPixels the most pixels (width × height, from the header) RED decodes; larger is 413
 *     before decoding. What decoding may cost is bounded by {@code decodeBudget}.
 * @param maxConcurrentDecodes images decoded and measured at once; 0 means one per processor.
 *     Decoding is CPU- and memory-bound, so more at once only multiplies the memory held (up to 200
 *     MiB each) without finishing sooner.
 * @param decodeQueueTimeout how long an upload waits for a decode slot, and then for room in the
 *     decode budget, before it is answered 503 with Retry-After, instead of piling up threads and
 *     memory
 * @param decodeBudget the heap all decoded images together may hold (their rasters, estimated from
 *     the header before decoding); an image needing more than this alone is 413. 0 (the default)
 *     means 60 % of the JVM's max heap ({@code -Xmx}): the rest is left for Spring, Tomcat, upload
 *     bodies in flight, and the garbage collector's room to move a raster of that size.
 */
@ConfigurationProperties("redstats.red.image")
public record ImageLimits(
    @DefaultValue("20MB") DataSize maxBytes,
    @DefaultValue("50000000") long maxPixels,
    @DefaultValue("0") int maxConcurrentDecodes,
    @DefaultValue("10s") Duration decodeQueueTimeout,
    @DefaultValue("0") DataSize decodeBudget) {

  /** The share of the max heap that decoded images may hold when no budget is configured. */
  static final double DEFAULT_BUDGET_SHARE_OF_HEAP = 0.6;

  public ImageLimits {
    if (maxConcurrentDecodes <= 0) {
      maxConcurrentDecodes = Runtime.getRuntime().availableProcessors();
    }
    if (decodeBudget == null || decodeBudget.toBytes() <= 0) {
      decodeBudget =
          DataSize.ofBytes(
              (long) (Runtime.getRuntime().maxMemory() * DEFAULT_BUDGET_SHARE_OF_HEAP));
    }
  }
}
