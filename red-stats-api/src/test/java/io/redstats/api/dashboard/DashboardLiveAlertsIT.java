package io.redstats.api.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.api.ApiTestSupport;
import io.redstats.contract.event.StatEvent;
import io.redstats.contract.event.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard's live alert list in a real Chromium, connected through a real nginx to a real
 * notifier node that reads the canonical topic of a real Kafka.
 */
class DashboardLiveAlertsIT extends ApiTestSupport {

  private static final long CLIENT = 401;
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Pinned to one partition, so a record's absence is certain once a later one has arrived. */
  private static final int PARTITION = 0;

  private ChromeDriver browser;

  @DynamicPropertySource
  static void notifierBehindNginx(DynamicPropertyRegistry registry) {
    registry.add("redstats.api.notifier-ws-url", () -> LiveAlertStack.get(SECRET).wsUrl());
  }

  @BeforeEach
  void openBrowser() {
    browser = Browser.start();
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void alertsAboveTheThresholdAppearLiveAndTheThresholdChangesOnTheOpenSocket() {
    // Given the dashboard subscribed for alerts above 0.5
    browser.get(
        "http://127.0.0.1:"
            + port
            + "/dashboard/index.html#token="
            + token(CLIENT, "query", "subscribe")
            + "&min_red=0.5");
    waitForStatus("alerts above 0.5");

    // When images of 0.4 and then 0.9 arrive
    publish(7_000_001, 40_000);
    publish(7_000_002, 90_000);

    // Then only the 0.9 one is listed
    waitForAlert(7_000_002);
    assertThat(alertIds()).containsExactly("7000002");

    // When the threshold is raised to 0.95 on the open socket
    var minRed = browser.findElement(By.id("min-red"));
    minRed.clear();
    minRed.sendKeys("0.95");
    browser.findElement(By.id("min-red-apply")).click();
    waitForStatus("alerts above 0.95");

    // And images of 0.92 and then 0.97 arrive
    publish(7_000_003, 92_000);
    publish(7_000_004, 97_000);

    // Then only the 0.97 one is added, newest first
    waitForAlert(7_000_004);
    assertThat(alertIds()).containsExactly("7000004", "7000002");
  }

  private void publish(long imageId, int redUnits) {
    try (KafkaProducer<Long, StatEvent> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LiveAlertStack.get(SECRET).kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            Topics.CANONICAL.keySerde().serializer(),
            Topics.CANONICAL.valueSerde().serializer())) {
      producer.send(
          new ProducerRecord<>(
              Topics.CANONICAL.name(),
              PARTITION,
              imageId,
              new StatEvent(imageId, CLIENT, System.currentTimeMillis(), redUnits)));
      producer.flush();
    }
  }

  private void waitForStatus(String text) {
    new WebDriverWait(browser, WAIT)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("ws-status"), text));
  }

  private void waitForAlert(long imageId) {
    new WebDriverWait(browser, WAIT)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#alerts li[data-image-id='" + imageId + "']")));
  }

  private List<String> alertIds() {
    return browser.findElements(By.cssSelector("#alerts li")).stream()
        .map((WebElement li) -> li.getDomAttribute("data-image-id"))
        .toList();
  }
}
