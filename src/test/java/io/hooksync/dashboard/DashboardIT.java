package io.hooksync.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.hooksync.support.Await;
import io.hooksync.support.Http;
import io.hooksync.support.Receiver;
import io.hooksync.support.Signing;
import io.hooksync.support.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard in a real headless Chromium: log in, watch a signed webhook arrive live, open its
 * timeline, replay a dead letter after fixing its mapping, create an endpoint and send it a test event,
 * look at analytics and routes; the browser console stays free of errors. Screenshots land in
 * {@code target/dashboard-screenshots/}.
 */
@Tag("browser")   // Debian's chromium + chromedriver on the PATH (Browser), not a container: ./mvnw verify -Dgroups=browser
@AutoConfigureObservability
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=" + DashboardIT.SECRET,
        "STRIPE_WEBHOOK_SECRET=whsec_unused",
        "hooksync.kafka.partitions=1",
        "hooksync.outbound.allowed-networks=127.0.0.1/32",
        "hooksync.outbound.relay-interval=50ms",
})
class DashboardIT {

    static final String SECRET = "dashboard-secret";
    private static final Path DATA = TestData.directory("dashboard");
    private static final Path ROUTES = DATA.resolve("routes");
    private static final Path MAPPINGS = DATA.resolve("mappings");
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Files.createDirectories(ROUTES);
        Files.createDirectories(MAPPINGS);
        Files.writeString(ROUTES.resolve("tickets.yaml"), """
                - route:
                    id: tickets
                    from:
                      uri: hooksync:events
                      parameters: { source: github, types: tickets }
                      steps:
                        - to: hooksync:upsert?mapping=tickets
                """);
        writeMapping("ticket.qty");
        TestData.embedded(registry, DATA.resolve("data"));
        registry.add("hooksync.routes-dir", ROUTES::toString);
        registry.add("hooksync.mappings-dir", MAPPINGS::toString);
    }

    private static void writeMapping(String qtyExpression) throws IOException {
        Path file = MAPPINGS.resolve("tickets.yaml");
        boolean existed = Files.exists(file);
        Files.writeString(file, """
                table: dashboard_tickets
                key: [id]
                columns:
                  id:  { expr: ticket.id, type: text }
                  qty: { expr: "%s", type: integer }
                emit: ticket.synced
                """.formatted(qtyExpression));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(existed ? 5 : 0)));
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private ChromeDriver browser;
    private WebDriverWait wait;
    private final Receiver receiver = Receiver.ok();

    @BeforeAll
    void openBrowser() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        browser = Browser.start();
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
        receiver.close();   // the data directory stays under target/: the cached Spring context still uses it
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private String send(String ticketId, String qty) {
        String delivery = UUID.randomUUID().toString();
        byte[] body = ("{\"ticket\":{\"id\":\"" + ticketId + "\",\"qty\":\"" + qty + "\"}}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> accepted = Http.post(url("/webhooks/github"), body, Map.of("Content-Type", "application/json",
                "X-GitHub-Event", "tickets", "X-GitHub-Delivery", delivery, "X-Hub-Signature-256", Signing.github(SECRET, body)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return delivery;
    }

    private void screenshot(String name) throws IOException {
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private void click(By by) {
        wait.until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    @Test
    void anOperatorFollowsAnEventFixesAFailureAndManagesAnEndpointWithoutConsoleErrors() throws Exception {
        // log in through the form
        browser.get(url("/"));
        visible(By.name("username")).sendKeys("admin");
        browser.findElement(By.name("password")).sendKeys(Http.ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBe(By.id("who"), "admin"));
        wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));

        // a signed webhook appears live (no reload) and its timeline shows the route's outcome
        String applied = send("T-1", "3");
        By row = By.cssSelector("#events tr[data-event-id='" + applied + "']");
        Await.until(Duration.ofSeconds(30), () -> jdbc.queryForList("SELECT outcome FROM hooksync_ledger WHERE event_id = ?",
                String.class, applied), l -> l.contains("applied"));
        click(row);
        WebElement timeline = visible(By.id("timeline"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "applied"));
        assertThat(timeline.getText()).contains("hooksync.events.github", "tickets", "ce_id", "ticket.synced");
        screenshot("1-event-timeline");

        // a poison event is dead-lettered; after the mapping is fixed, Replay applies it
        String poison = send("T-2", "7 items");
        Await.until(Duration.ofSeconds(30), () -> jdbc.queryForList("SELECT id FROM hooksync_dead_letters WHERE event_id = ?",
                Long.class, poison), l -> !l.isEmpty());
        writeMapping("$number($substringBefore(ticket.qty, ' '))");
        browser.get(url("/#dead-letters"));
        By replay = By.xpath("//table[@id='dead-letters']//tr[td/code[text()='" + poison + "']]//button[@class='replay']");
        click(replay);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Replayed dead letter"));
        Await.until(Duration.ofSeconds(30), () -> jdbc.queryForList("SELECT qty FROM dashboard_tickets WHERE id = 'T-2'",
                Integer.class), l -> l.equals(List.of(7)));

        // create an endpoint: its secret is shown once, then masked; a test event reaches the receiver
        browser.get(url("/#endpoints"));
        visible(By.id("ep-url")).sendKeys(receiver.url());
        WebElement types = browser.findElement(By.id("ep-types"));
        types.clear();
        types.sendKeys("issue.*");
        browser.findElement(By.id("ep-max-in-flight")).sendKeys("2");
        click(By.id("ep-save"));
        String secret = visible(By.id("new-secret")).getText();
        assertThat(secret).startsWith("whsec_");
        assertThat(jdbc.queryForList("SELECT max_in_flight FROM hooksync_endpoints", Integer.class))
                .as("its own maximum of requests in flight").containsExactly(2);
        By endpointRow = By.cssSelector("#endpoints tbody tr");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(endpointRow, "whsec_****"));
        assertThat(browser.findElement(By.id("endpoints")).getText()).doesNotContain(secret);
        click(By.cssSelector("#endpoints tbody tr button.edit"));
        assertThat(browser.findElement(By.id("ep-max-in-flight")).getAttribute("value")).isEqualTo("2");
        click(By.id("ep-cancel"));
        click(By.cssSelector("#endpoints tbody tr button.test"));
        Await.until(Duration.ofSeconds(30), receiver::requests, r -> !r.isEmpty());
        Await.until(Duration.ofSeconds(30), () -> jdbc.queryForList("SELECT outcome FROM hooksync_attempts", String.class),
                l -> l.contains("delivered"));
        click(By.cssSelector("#endpoints tbody tr button.attempts"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("attempts"), "delivered"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("attempts"), "success 100%"));
        screenshot("2-endpoints");
        click(By.cssSelector("#endpoints tbody tr button.rotate"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("secret"), "Rotated"));
        String rotated = visible(By.id("new-secret")).getText();
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(secret);
        click(By.cssSelector("#endpoints tbody tr button.disable"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(endpointRow, "disabled"));
        assertThat(browser.findElement(By.id("endpoints")).getText()).doesNotContain(rotated);

        // under some load: the live list fills, analytics and routes show the traffic
        List<String> burst = new ArrayList<>();
        browser.get(url("/#events"));
        wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
        for (int i = 0; i < 40; i++) {
            burst.add(send("L-" + i, String.valueOf(i)));
        }
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#events tr[data-event-id='"
                + burst.get(burst.size() - 1) + "']")));
        screenshot("3-events-under-load");
        browser.get(url("/#analytics"));
        visible(By.cssSelector("#an-events svg circle"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("an-latency"), "p99"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("an-deliveries"), "100%"));
        screenshot("4-analytics");
        browser.get(url("/#routes"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("routes"), "tickets"));
        assertThat(browser.findElement(By.id("routes")).getText()).contains("ingress", "Started");
        screenshot("5-routes");

        assertThat(Browser.severe(browser)).as("browser console errors").isEmpty();
    }
}
