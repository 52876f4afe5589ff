package io.redstats.api.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.api.ApiTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in a real (headless) Chromium, against the api and a real ClickHouse. */
class DashboardBrowserIT extends ApiTestSupport {

  /** This class's rows live in 2023; client 301 is its own. */
  private static final Instant FROM = Instant.parse("2023-02-01T10:00:00Z");

  private static final Instant TO = Instant.parse("2023-02-01T13:00:00Z");
  private static final long CLIENT = 301;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private ChromeDriver browser;

  @BeforeAll
  static void imagesOfOneClient() {
    long t = FROM.toEpochMilli();
    insert(
        List.of(
            new Event(8_000_001, CLIENT, t + 5 * 60_000, 85_001),
            new Event(8_000_002, CLIENT, t + 65 * 60_000, 85_000),
            new Event(8_000_003, CLIENT, t + 125 * 60_000, 99_000),
            new Event(8_000_004, CLIENT, TO.toEpochMilli(), 99_000))); // outside: `to` is exclusive
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
  void tokenInTheFragmentShowsCountsAndChartAndLeavesTheAddressBar() {
    // When the page is opened with a token and a range in the URL fragment
    browser.get(
        dashboard()
            + "#token="
            + token(CLIENT, "query", "subscribe")
            + "&from="
            + FROM
            + "&to="
            + TO
            + "&red=0.85&step=1h");

    // Then it shows the client's counts: three images in range, two strictly above 0.85
    waitForText("images", "3");
    assertThat(text("above")).isEqualTo("2");
    // And the chart has one bar per hour holding the same images
    assertThat(chartSum(0)).isEqualTo(3);
    assertThat(chartSum(1)).isEqualTo(2);
    assertThat(chartLabels()).hasSize(3);
    // And the token is no longer in the address bar
    assertThat(browser.getCurrentUrl()).doesNotContain("token");
  }

  @Test
  void loginBoxAcceptsAPastedTokenAndTheFormRequeries() {
    // Given the page without a token
    browser.get(dashboard());
    assertThat(browser.findElement(By.id("login")).isDisplayed()).isTrue();

    // When a token is pasted and a range entered
    browser.findElement(By.id("token-input")).sendKeys(token(CLIENT, "query"));
    browser.findElement(By.id("login-button")).click();
    setField("from", FROM.toString());
    setField("to", TO.toString());
    setField("red", "0.99");
    browser.findElement(By.id("refresh")).click();

    // Then the counts for that threshold appear
    waitForText("images", "3");
    waitForText("above", "0");
  }

  @Test
  void badRangeShowsTheApisErrorNamingTheField() {
    browser.get(dashboard() + "#token=" + token(CLIENT, "query") + "&from=" + TO + "&to=" + FROM);

    new WebDriverWait(browser, WAIT)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "to:"));
  }

  private String dashboard() {
    return "http://127.0.0.1:" + port + "/dashboard/index.html";
  }

  private void waitForText(String id, String expected) {
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.id(id), expected));
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private void setField(String id, String value) {
    var field = browser.findElement(By.id(id));
    field.clear();
    field.sendKeys(value);
  }

  private long chartSum(int dataset) {
    Object sum =
        browser.executeScript(
            "return Chart.getChart('series-chart').data.datasets[arguments[0]].data"
                + ".reduce((a, b) => a + b, 0);",
            dataset);
    return ((Number) sum).longValue();
  }

  private List<?> chartLabels() {
    return (List<?>) browser.executeScript("return Chart.getChart('series-chart').data.labels;");
  }
}
