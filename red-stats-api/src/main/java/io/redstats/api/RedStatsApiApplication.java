package io.redstats.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The query side of RED_STATS: exact counts over any time range, and the dashboard page. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RedStatsApiApplication {

  public static void main(String[] args) {
    SpringApplication.run(RedStatsApiApplication.class, args);
  }
}
