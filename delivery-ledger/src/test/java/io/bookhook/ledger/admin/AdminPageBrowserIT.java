package io.bookhook.ledger.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.ledger.Deliveries;
import io.bookhook.mockreceiver.MockReceiver;
import io.bookhook.mockreceiver.MockReceiverConfig;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.AppointmentPartition;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryRequest;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.IdempotencyKey;
import io.bookhook.schemas.Json;
import io.bookhook.schemas.JsonSerde;
import io.bookhook.sink.DeliveryIds;
import io.bookhook.sink.Endpoint;
import io.bookhook.sink.SinkSettings;
import io.bookhook.sink.WebhookSink;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
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
import org.slf4j.LoggerFactory;

/**
 * The admin page in a real headless Chromium (Debian's chromium and chromium-driver), with a real sink behind it:
 * give the page the token it asks for, see the delivery the sink recorded failed, open it, press retry (refused with
 * the read-only token, accepted with the operator's), see the request stored, then the sink's new attempt, delivered.
 * The other tests run the admin as the demo does: on loopback, without a token.
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
    void should_ask_for_a_token_show_a_failed_delivery_retry_it_with_the_operator_token_and_show_the_new_attempt() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root().addAppender(log);
        admin = AdminFixture.withTokens();
        IdempotencyKey key = IdempotencyKey.of(42, EventType.CONFIRMED);
        String deliveryId = DeliveryIds.forEvent(Endpoint.DEFAULT_NAME, key);
        try (MockReceiver receiver = MockReceiver.start(MockReceiverConfig.defaults(SECRET).withFailFirst(1, 503),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                WebhookSink sink = startSink(receiver)) {
            produceEvent(key);
            By failedRow = By.cssSelector("tr[data-delivery-id='" + deliveryId + "']");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

            browser.get(admin.uri("/").toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-form")));
            assertThat(browser.findElements(By.cssSelector("#deliveries tbody tr"))).as("nothing shown without a token").isEmpty();
            giveToken(wait, "not-the-token");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "That token was not accepted"));
            giveToken(wait, AdminFixture.READ_TOKEN);
            // The token is kept for the tab's session: the page reloaded keeps it.
            wait.until(driver -> {
                driver.navigate().refresh();
                return driver.findElements(failedRow).stream().anyMatch(row -> row.getText().contains("failed"));
            });
            assertThat(browser.findElement(By.id("token-form")).isDisplayed()).isFalse();
            assertThat(browser.findElement(failedRow).getText()).contains("appointment:42:confirmed");

            browser.findElement(failedRow).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-id"), deliveryId));
            assertThat(browser.findElement(By.id("detail-fields")).getText()).contains("503");
            assertThat(browser.findElement(By.id("detail-payload")).getText()).contains("\"idempotency_key\": \"appointment:42:confirmed\"");
            browser.findElement(By.id("retry-button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Refused: a read-only token cannot retry"));
            assertThat(admin.broker.requests()).isEmpty();

            browser.findElement(By.id("forget-token")).click();
            giveToken(wait, AdminFixture.OPERATOR_TOKEN);
            wait.until(ExpectedConditions.elementToBeClickable(failedRow)).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-id"), deliveryId));
            browser.findElement(By.id("retry-button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "retry requested"));
            assertThat(admin.broker.requests()).singleElement().satisfies(stored -> {
                assertThat(stored.value().action()).isEqualTo(DeliveryRequest.Action.RETRY);
                assertThat(stored.value().deliveryId()).isEqualTo(deliveryId);
            });

            // The sink carries the retry out: a second attempt, which the recovered receiver accepts.
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-delivery-id='" + deliveryId + "'] .status"),
                    "delivered"));
            WebElement row = browser.findElement(failedRow);
            assertThat(row.findElement(By.cssSelector(".attempts")).getText()).isEqualTo("2");
            assertThat(row.getText()).doesNotContain("requested");
            assertThat(browser.findElement(By.id("retry-button")).isEnabled()).as("a delivered delivery is resent, not retried").isFalse();
            assertThat(receiver.received()).extracting(r -> r.header("X-Delivery-Attempt")).containsExactly("1", "2");
        } finally {
            root().detachAppender(log);
        }
        List<String> lines;
        synchronized (log) { // the appender appends under its own lock
            lines = log.list.stream().map(event -> event.getLoggerName() + " " + event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : " " + ThrowableProxyUtil.asString(event.getThrowableProxy()))).toList();
        }
        assertThat(lines).noneMatch(line -> line.contains(AdminFixture.OPERATOR_TOKEN) || line.contains(AdminFixture.READ_TOKEN));
        assertThat(lines).filteredOn(line -> line.startsWith("io.bookhook.audit ")).containsExactly(
                "io.bookhook.audit admin action=retry target=delivery:" + deliveryId + " token=read remote=127.0.0.1 status=403",
                "io.bookhook.audit admin action=retry target=delivery:" + deliveryId + " token=operator remote=127.0.0.1 status=202");
    }

    /** Types a token into the page's prompt, once the page shows it. */
    private void giveToken(WebDriverWait wait, String token) {
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        input.sendKeys(token);
        browser.findElement(By.cssSelector("#token-form button[type=submit]")).click();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void should_show_each_endpoints_health_pause_one_and_resume_it_and_filter_deliveries_by_endpoint() throws Exception {
        admin = new AdminFixture();
        try (MockReceiver alpha = MockReceiver.start(MockReceiverConfig.defaults(SECRET), quiet());
                MockReceiver beta = MockReceiver.start(MockReceiverConfig.defaults(SECRET), quiet());
                WebhookSink sink = startSink(SinkSettings.builder(new HashMap<>(admin.broker.client())).endpoints(List.of(
                        endpoint("alpha", alpha), endpoint("beta", beta))))) {
            produceEvent(IdempotencyKey.of(51, EventType.CREATED));
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(40));
            browser.get(admin.uri("/").toString());
            // The sinks report every 5 s; the page follows every 3 s.
            wait.until(driver -> cell(driver, "beta", ".circuit").equals("closed") && cell(driver, "beta", ".delivered").equals("1")
                    && cell(driver, "alpha", ".delivered").equals("1"));

            browser.findElement(By.cssSelector("tr[data-endpoint='beta'] button.toggle")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "endpoint beta paused"));
            wait.until(driver -> cell(driver, "beta", ".paused").equals("yes"));
            produceEvent(IdempotencyKey.of(52, EventType.CREATED));
            wait.until(driver -> alpha.deliveredCount() == 2 && cell(driver, "beta", ".waiting").startsWith("1"));
            assertThat(beta.deliveredCount()).as("nothing reaches the paused endpoint").isEqualTo(1);

            browser.findElement(By.cssSelector("tr[data-endpoint='beta'] button.toggle")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "endpoint beta resumed"));
            wait.until(driver -> beta.deliveredCount() == 2 && cell(driver, "beta", ".delivered").equals("2"));

            browser.findElement(By.id("filter-endpoint")).sendKeys("beta");
            browser.findElement(By.cssSelector("#filters button[type=submit]")).click();
            wait.until(driver -> {
                List<WebElement> endpoints = driver.findElements(By.cssSelector("#deliveries tbody td.endpoint"));
                return endpoints.size() == 2 && endpoints.stream().allMatch(cell -> cell.getText().equals("beta"));
            });
            assertThat(beta.received()).extracting(r -> r.header("X-Idempotency-Key"))
                    .containsExactly("appointment:51:created", "appointment:52:created");
        }
    }

    @Test
    void should_show_the_newest_page_of_a_long_ledger_with_its_total_and_load_more_on_demand() throws Exception {
        admin = new AdminFixture();
        admin.broker.writeLedger(IntStream.range(0, 250)
                .mapToObj(i -> Deliveries.record(String.format("page-%03d", i), Integer.toString(1000 + i), EventType.CREATED,
                        i == 7 ? DeliveryStatus.FAILED : DeliveryStatus.DELIVERED, Deliveries.T0.plusSeconds(i)))
                .toArray(DeliveryRecord[]::new));
        By rows = By.cssSelector("#deliveries tbody tr");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

        browser.get(admin.uri("/").toString());
        // Until the view has read the ledger the API answers 503; the page asks again every 3 s.
        wait.until(ExpectedConditions.textToBe(By.id("showing"), "showing 200 of 250 deliveries"));
        assertThat(browser.findElements(rows)).hasSize(200);
        assertThat(browser.findElements(rows).get(0).getAttribute("data-delivery-id")).as("newest first").isEqualTo("page-249");
        WebElement loadMore = browser.findElement(By.id("load-more"));
        assertThat(loadMore.isDisplayed()).isTrue();

        loadMore.click();
        wait.until(ExpectedConditions.textToBe(By.id("showing"), "250 deliveries"));
        assertThat(browser.findElements(rows)).hasSize(250);
        assertThat(browser.findElements(rows).get(249).getAttribute("data-delivery-id")).isEqualTo("page-000");
        assertThat(loadMore.isDisplayed()).as("nothing more to load").isFalse();
        // The page's refresh (every 3 s) shows a new delivery on top and keeps as many rows as were loaded.
        admin.broker.writeLedger(Deliveries.record("page-new", "2000", EventType.CREATED, DeliveryStatus.DELIVERED,
                Deliveries.T0.plusSeconds(1_000)));
        wait.until(ExpectedConditions.textToBe(By.id("showing"), "showing 250 of 251 deliveries"));
        assertThat(browser.findElements(rows)).hasSize(250);
        assertThat(browser.findElements(rows).get(0).getAttribute("data-delivery-id")).isEqualTo("page-new");
        assertThat(loadMore.isDisplayed()).isTrue();

        // A filter starts again from its newest page, with its own total.
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-status"))).selectByVisibleText("failed");
        browser.findElement(By.cssSelector("#filters button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBe(By.id("showing"), "1 delivery"));
        assertThat(browser.findElements(rows)).singleElement().satisfies(row -> assertThat(row.getText()).contains("failed"));
        assertThat(loadMore.isDisplayed()).isFalse();
    }

    private static String cell(WebDriver driver, String endpoint, String css) {
        List<WebElement> cells = driver.findElements(By.cssSelector("tr[data-endpoint='" + endpoint + "'] td" + css));
        return cells.isEmpty() ? "" : cells.get(0).getText();
    }

    private static io.bookhook.sink.EndpointSettings endpoint(String name, MockReceiver receiver) {
        return new io.bookhook.sink.EndpointSettings(io.bookhook.sink.EndpointSettings.Origin.FILE, name, receiver.url(), SECRET,
                io.bookhook.sink.SignatureMode.MAKE, List.of(), java.util.Set.of(), java.util.Set.of(), 10, 0);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static final String SECRET = "browser-test-secret";

    private WebhookSink startSink(MockReceiver receiver) {
        return startSink(SinkSettings.builder(receiver.url(), SECRET, new HashMap<>(admin.broker.client())));
    }

    private WebhookSink startSink(io.bookhook.sink.SinkSettingsBuilder builder) {
        SinkSettings settings = builder
                .allowPrivateTargets(true)
                .topics(admin.broker.topics)
                .groupId(admin.broker.topics.appointmentEvents() + "-sink")
                .instanceId(admin.broker.topics.appointmentEvents() + "-sink")
                .stateDir(java.nio.file.Path.of("target", "sink-state"))
                .maxAttempts(1)
                .build();
        return WebhookSink.start(settings);
    }

    private void produceEvent(IdempotencyKey key) throws Exception {
        ObjectNode appointment = Json.mapper().createObjectNode().put("id", 42).put("status", "confirmed");
        AppointmentEvent event = new AppointmentEvent(key.eventType(), key.toString(), Instant.now(), appointment, null, null, null, null,
                List.of());
        try (KafkaProducer<String, AppointmentEvent> producer = new KafkaProducer<>(new HashMap<>(admin.broker.client()),
                new StringSerializer(), JsonSerde.of(AppointmentEvent.class).serializer())) {
            // On the appointment's partition, as derive writes it.
            producer.send(new ProducerRecord<>(admin.broker.topics.appointmentEvents(), AppointmentPartition.of(key.appointmentId(), 3),
                    key.toString(), event)).get(10, TimeUnit.SECONDS);
        }
    }
}
