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
import java.util.Map;
import java.util.UUID;

import io.hooksync.support.Await;
import io.hooksync.support.Http;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Backfill panel in a real headless Chromium: choose the route, preview the replay of its history through an
 * edited mapping, read the difference (counts, changed column, a sample row with before and after), apply it and
 * watch it succeed; the table then holds the new values and the console stays free of errors.
 */
@Tag("browser")   // Debian's chromium + chromedriver on the PATH (Browser), not a container: ./mvnw verify -Dgroups=browser
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=" + BackfillPanelIT.SECRET,
        "STRIPE_WEBHOOK_SECRET=whsec_unused",
        "hooksync.kafka.partitions=1",
        "hooksync.backfill.poll-interval=200ms",
})
class BackfillPanelIT {

    static final String SECRET = "backfill-panel-secret";
    private static final int TICKETS = 30;
    private static final Path DATA = TestData.directory("backfill-panel");
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
        writeMapping("ticket.title");
        TestData.embedded(registry, DATA.resolve("data"));
        registry.add("hooksync.routes-dir", ROUTES::toString);
        registry.add("hooksync.mappings-dir", MAPPINGS::toString);
    }

    private static void writeMapping(String titleExpression) throws IOException {
        Path file = MAPPINGS.resolve("tickets.yaml");
        boolean existed = Files.exists(file);
        Files.writeString(file, """
                table: panel_tickets
                key: [id]
                columns:
                  id:    { expr: ticket.id, type: text }
                  title: { expr: "%s", type: text }
                """.formatted(titleExpression));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(existed ? 5 : 0)));
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void openBrowser() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        browser = Browser.start();
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private void send(int n) {
        byte[] body = ("{\"ticket\":{\"id\":\"T-" + n + "\",\"title\":\"ticket " + n + "\"}}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> accepted = Http.post(url("/webhooks/github"), body, Map.of("Content-Type", "application/json",
                "X-GitHub-Event", "tickets", "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", Signing.github(SECRET, body)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    }

    private void screenshot(String name) throws IOException {
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    @Test
    void anOperatorPreviewsTheDifferenceReadsItAndAppliesIt() throws Exception {
        for (int n = 1; n <= TICKETS; n++) {
            send(n);
        }
        Await.until(Duration.ofSeconds(60), () -> jdbc.queryForObject("SELECT COUNT(*) FROM panel_tickets", Long.class),
                c -> c == TICKETS);
        writeMapping("$uppercase(ticket.title)");

        browser.get(url("/#backfill"));
        visible(By.name("username")).sendKeys("admin");
        browser.findElement(By.name("password")).sendKeys(Http.ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBe(By.id("who"), "admin"));
        browser.get(url("/#backfill"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bf-history"), "30 days"));
        new Select(visible(By.id("bf-route"))).selectByValue("tickets");
        browser.findElement(By.id("bf-preview")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bf-counts"),
                "0 inserted, " + TICKETS + " changed, 0 unchanged, 0 deleted"));
        WebElement diff = browser.findElement(By.id("bf-diff"));
        assertThat(diff.getText()).contains("title (" + TICKETS + ")", "ticket 1 → TICKET 1", "up to 20 rows");
        assertThat(jdbc.queryForList("SELECT title FROM panel_tickets WHERE id = 'T-7'", String.class))
                .as("the preview left the table").containsExactly("ticket 7");
        screenshot("6-backfill-preview");

        browser.findElement(By.id("bf-apply-diff")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Apply "));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bf-current"), "apply from beginning"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bf-current"), "succeeded"));
        assertThat(browser.findElement(By.id("bf-replays")).getText()).contains(TICKETS + " / 0 / 0");
        screenshot("7-backfill-applied");
        assertThat(jdbc.queryForList("SELECT title FROM panel_tickets WHERE id = 'T-7'", String.class))
                .containsExactly("TICKET 7");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM panel_tickets WHERE title = UPPER(title)", Long.class))
                .isEqualTo(TICKETS);
        assertThat(Browser.severe(browser)).as("browser console errors").isEmpty();
    }
}
