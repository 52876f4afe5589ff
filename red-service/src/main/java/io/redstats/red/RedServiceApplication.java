package io.redstats.red;

import io.redstats.red.image.ImageLimits;
import jakarta.servlet.MultipartConfigElement;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.util.unit.DataSize;

/** RED: measures how much red an image holds and delivers each measurement to RED_STATS. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RedServiceApplication {

  /** Multipart overhead on top of the file itself (boundaries, part headers, small fields). */
  private static final DataSize MULTIPART_OVERHEAD = DataSize.ofKilobytes(64);

  public static void main(String[] args) {
    SpringApplication.run(RedServiceApplication.class, args);
  }

  /** Multipart uploads obey the same byte limit as raw ones: one property sets both. */
  @Bean
  MultipartConfigElement multipartConfig(ImageLimits limits) {
    MultipartConfigFactory factory = new MultipartConfigFactory();
    factory.setMaxFileSize(limits.maxBytes());
    factory.setMaxRequestSize(
        DataSize.ofBytes(limits.maxBytes().toBytes() + MULTIPART_OVERHEAD.toBytes()));
    return factory.createMultipartConfig();
  }
}
