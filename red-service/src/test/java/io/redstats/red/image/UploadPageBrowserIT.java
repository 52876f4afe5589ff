package io.redstats.red.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstats.red.TestImages;
import io.redstats.red.it.IngestStub;
import io.redstats.red.it.RedClient;
import io.redstats.red.it.RedTestProperties;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The upload page in the system's headless Chromium: choose a file, see red and delivery. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class UploadPageBrowserIT {

  private static final String CHROMIUM =
      System.getenv().getOrDefault("REDSTATS_CHROMIUM", "/usr/bin/chromium");
  private static final String CHROMEDRIVER =
      System.getenv().getOrDefault("REDSTATS_CHROMEDRIVER", "/usr/bin/chromedriver");

  private static final IngestStub INGEST = IngestStub.start();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    RedTestProperties.register(registry, "red_page_it", List.of(INGEST.url()));
  }

  @AfterAll
  static void stopStub() {
    INGEST.close();
  }

  @LocalServerPort int port;

  private ChromeDriver browser;

  @BeforeEach
  void startBrowser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking");
    browser =
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build(),
            options);
  }

  @AfterEach
  void stopBrowser() {
    browser.quit();
  }

  @Test
  void choosingAnImageShowsItsRedFractionAndThenItsDelivery(@TempDir Path dir) throws Exception {
    // Given the page, opened without a token, and a PNG that is a quarter red
    Path png = Files.write(dir.resolve("quarter.png"), TestImages.png(40, 10, 10));
    browser.get("http://127.0.0.1:" + port + "/");
    browser.findElement(By.id("token")).sendKeys(tokenFor(91));

    // When the file is chosen
    WebElement file = browser.findElement(By.id("file"));
    browser.executeScript("arguments[0].hidden = false", file);
    file.sendKeys(png.toString());

    // Then the page shows the red fraction, and the delivery once RED_STATS has it
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.until(d -> d.findElement(By.id("red")).getText().equals("0.25000"));
    assertThat(browser.findElement(By.id("size")).getText()).isEqualTo("40 × 10 png");
    wait.until(d -> d.findElement(By.id("delivery_status")).getText().startsWith("delivered"));
  }

  @Test
  void aRefusedFileShowsRedsMessage(@TempDir Path dir) throws Exception {
    Path text = Files.writeString(dir.resolve("notes.png"), "not an image at all");
    browser.get("http://127.0.0.1:" + port + "/");
    browser.findElement(By.id("token")).sendKeys(tokenFor(92));

    WebElement file = browser.findElement(By.id("file"));
    browser.executeScript("arguments[0].hidden = false", file);
    file.sendKeys(text.toString());

    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(d -> d.findElement(By.id("error")).getText().contains("HTTP 415"));
    assertThat(browser.findElement(By.id("error")).getText())
        .contains("image: not a supported image");
  }

  private static String tokenFor(long clientId) {
    return new io.redstats.contract.auth.TokenMinter(RedClient.SECRET)
        .mint(
            "page",
            clientId,
            List.of(io.redstats.contract.auth.Scopes.UPLOAD),
            Duration.ofMinutes(10));
  }
}
