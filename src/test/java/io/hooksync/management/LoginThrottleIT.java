package io.hooksync.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.hooksync.support.Http;
import io.hooksync.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Failed logins are throttled per client address (and per user at it), for the login form, Basic and Bearer
 * alike; the same user from another address and others go on. The client address is the one Spring sees: behind a proxy
 * ({@code server.forward-headers-strategy=native}) it comes from {@code X-Forwarded-For}, which lets this
 * test play several clients from loopback.
 */
// closed after the class: its Camel context would otherwise still hold the JMX names ("hooksync") when the next
// context starts, which Camel then registers as hooksync-2 (ManagementSecurityIT reads a route MBean by name)
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=unused", "STRIPE_WEBHOOK_SECRET=whsec_unused",
        "server.forward-headers-strategy=native",
        "hooksync.management.login-throttle.max-failures=3",
})
class LoginThrottleIT {

    private static final Path DATA = TestData.directory("login-throttle-it");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestData.embedded(registry, DATA);
    }

    @LocalServerPort
    int port;

    private HttpResponse<String> get(String client, Map<String, String> credentials) {
        Map<String, String> headers = new HashMap<>(credentials);
        headers.put("X-Forwarded-For", client);
        return Http.get("http://127.0.0.1:" + port + "/api/endpoints", headers);
    }

    private HttpResponse<String> formLogin(String client, String user, String password) {
        HttpResponse<String> form = Http.get("http://127.0.0.1:" + port + "/login", Map.of("X-Forwarded-For", client));
        String csrf = form.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("XSRF-TOKEN="))
                .map(c -> c.substring("XSRF-TOKEN=".length(), c.indexOf(';'))).findFirst().orElseThrow();
        return Http.post("http://127.0.0.1:" + port + "/login",
                ("username=" + user + "&password=" + password + "&_csrf=" + csrf).getBytes(),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Cookie", "XSRF-TOKEN=" + csrf,
                        "X-Forwarded-For", client));
    }

    private static void assertThrottled(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("urn:hooksync:problem:login-throttled");
        assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 300L));
    }

    @Test
    void basicFailuresLockTheAddressNotTheUserElsewhere() {
        for (int i = 0; i < 3; i++) {
            assertThat(get("203.0.113.1", Http.basic("ops", "guess-" + i)).statusCode()).isEqualTo(401);
        }
        assertThrottled(get("203.0.113.1", Http.basic("ops", "guess-4")));
        assertThrottled(get("203.0.113.1", Http.basic("someone-else", "guess")));
        assertThat(get("203.0.113.2", Http.basic("ops", "guess-5")).statusCode())
                .as("the same user from another address is still checked (and fails), not throttled").isEqualTo(401);
        assertThat(get("203.0.113.2", Http.admin()).statusCode()).as("a token from another address").isEqualTo(200);
    }

    @Test
    void bearerFailuresLockTheAddressEvenForAValidToken() {
        for (int i = 0; i < 3; i++) {
            assertThat(get("198.51.100.7", Map.of("Authorization", "Bearer wrong-token-" + i)).statusCode())
                    .isEqualTo(401);
        }
        assertThrottled(get("198.51.100.7", Http.admin()));
        assertThat(get("198.51.100.8", Http.admin()).statusCode()).as("another address").isEqualTo(200);
    }

    /** A scanner guessing the admin's password from its address locks itself out, not the admin at theirs. */
    @Test
    void formLoginFailuresLockTheirAddressEvenWithTheRightPasswordButNotTheAdminElsewhere() {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> failed = formLogin("192.0.2.10", "admin", "guess-" + i);
            assertThat(failed.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("error"));
        }
        assertThrottled(formLogin("192.0.2.10", "admin", Http.ADMIN_PASSWORD));
        HttpResponse<String> admin = formLogin("192.0.2.11", "admin", Http.ADMIN_PASSWORD);
        assertThat(admin.statusCode()).isEqualTo(302);
        assertThat(admin.headers().firstValue("Location")).as("logged in").hasValueSatisfying(
                l -> assertThat(l).doesNotContain("error"));
    }
}
