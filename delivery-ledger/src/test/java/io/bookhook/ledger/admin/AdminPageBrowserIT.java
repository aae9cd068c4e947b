package io.bookhook.ledger.admin;

import static io.bookhook.ledger.Deliveries.delivered;
import static io.bookhook.ledger.Deliveries.failed;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin page in a real headless Chromium (Debian's chromium and chromium-driver): load it, see a failed
 * delivery, open it, press retry, see the request accepted and stored, then see the new attempt once the ledger
 * has it. The sink's ledger record is written by the test here; the sink consuming requests is tested with the sink.
 */
class AdminPageBrowserIT {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private AdminFixture admin;
    private WebDriver browser;
    private Path profile;

    @BeforeEach
    void startAdminAndBrowser() throws IOException {
        // Fail, never skip: CI installs the browser, and a browser test that silently does not run proves nothing.
        assertThat(new File(CHROMIUM)).as("Chromium is needed: apt-get install -y chromium chromium-driver").canRead();
        assertThat(new File(CHROMEDRIVER).canExecute()).as("chromedriver is needed: apt-get install -y chromium chromium-driver").isTrue();
        admin = new AdminFixture();
        profile = Files.createTempDirectory("bookhook-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (admin != null) {
            admin.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void should_show_a_failed_delivery_retry_it_and_show_the_new_attempt() {
        admin.broker.writeLedger(failed("d-failed-0001", "42", EventType.CONFIRMED), delivered("d-ok-0002", "42", EventType.CREATED));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        browser.get(admin.uri("/").toString());
        By failedRow = By.cssSelector("tr[data-delivery-id='d-failed-0001']");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(failedRow, "appointment:42:confirmed"));
        assertThat(browser.findElement(failedRow).findElement(By.cssSelector(".status")).getText()).isEqualTo("failed");

        browser.findElement(failedRow).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-id"), "d-failed-0001"));
        assertThat(browser.findElement(By.id("detail-fields")).getText()).contains("503").contains("receiver down");
        assertThat(browser.findElement(By.id("detail-payload")).getText()).contains("\"idempotency_key\": \"appointment:42:confirmed\"");

        browser.findElement(By.id("retry-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "retry requested"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(failedRow, "retry requested"));
        assertThat(admin.broker.requests()).singleElement().satisfies(stored -> {
            assertThat(stored.value().action()).isEqualTo(DeliveryRequest.Action.RETRY);
            assertThat(stored.value().deliveryId()).isEqualTo("d-failed-0001");
        });

        // What the sink writes once it has carried the retry out: a fourth attempt, delivered.
        admin.broker.writeLedger(failed("d-failed-0001", "42", EventType.CONFIRMED)
                .next(DeliveryStatus.DELIVERED, 4, 200, null, "ok", Instant.now().plusSeconds(1)));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-delivery-id='d-failed-0001'] .status"), "delivered"));
        WebElement row = browser.findElement(failedRow);
        assertThat(row.findElement(By.cssSelector(".attempts")).getText()).isEqualTo("4");
        assertThat(row.getText()).doesNotContain("requested");
        assertThat(browser.findElement(By.id("retry-button")).isEnabled()).as("a delivered delivery is resent, not retried").isFalse();
    }
}
