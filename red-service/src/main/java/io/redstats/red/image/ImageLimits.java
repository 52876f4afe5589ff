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
 *     before decoding. 50 M pixels of ARGB are 200 MiB decoded: the most one request may cost.
 * @param maxConcurrentDecodes images decoded and measured at once; 0 means one per processor.
 *     Decoding is CPU- and memory-bound, so more at once only multiplies the memory held (up to 200
 *     MiB each) without finishing sooner.
 * @param decodeQueueTimeout how long an upload waits for a decode slot before it is answered 503
 *     with Retry-After, instead of piling up threads and memory
 */
@ConfigurationProperties("redstats.red.image")
public record ImageLimits(
    @DefaultValue("20MB") DataSize maxBytes,
    @DefaultValue("50000000") long maxPixels,
    @DefaultValue("0") int maxConcurrentDecodes,
    @DefaultValue("10s") Duration decodeQueueTimeout) {

  public ImageLimits {
    if (maxConcurrentDecodes <= 0) {
      maxConcurrentDecodes = Runtime.getRuntime().availableProcessors();
    }
  }
}
