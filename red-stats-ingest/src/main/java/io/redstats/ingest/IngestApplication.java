package io.redstats.ingest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * red-stats-ingest: accepts RED's measurements on {@code POST /stats}, writes them to Kafka, drops
 * repeats with a Kafka Streams topology and copies the canonical stream into ClickHouse.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IngestApplication {

  public static void main(String[] args) {
    SpringApplication.run(IngestApplication.class, args);
  }
}
