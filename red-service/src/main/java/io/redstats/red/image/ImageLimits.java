package io.redstats.red.image;

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
 */
@ConfigurationProperties("redstats.red.image")
public record ImageLimits(
    @DefaultValue("20MB") DataSize maxBytes, @DefaultValue("50000000") long maxPixels) {}
