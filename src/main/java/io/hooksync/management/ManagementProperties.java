package io.hooksync.management;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import io.hooksync.infra.SettingBounds;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hooksync.management.*}: the admin user, the API tokens and the failed-login throttle. Token
 * secrets are references ({@code env:NAME}, {@code file:/path}), never values, like every other secret.
 *
 * @param adminUser user for the dashboard, API, Hawtio and actuator beyond health
 * @param adminPassword empty: embedded mode generates and prints one, production mode refuses to start (HOOKSYNC_ADMIN_PASSWORD)
 * @param tokens API tokens for Authorization: Bearer, by name
 * @param loginThrottle failed logins (form, Basic, Bearer) per user and per client address
 */
@ConfigurationProperties(prefix = "hooksync.management")
record ManagementProperties(
        @DefaultValue("admin") String adminUser,
        @DefaultValue("") String adminPassword,
        Map<String, Token> tokens,
        @DefaultValue LoginThrottle loginThrottle) {

    ManagementProperties {
        tokens = tokens == null ? Map.of() : Map.copyOf(tokens);
    }

    /**
     * Failed logins (form, Basic, Bearer) allowed per user and per client address within one window
     * before further attempts get 429; {@code tracked} bounds how many users and addresses are remembered.
     *
     * @param maxFailures failures within one window before further attempts get 429 with Retry-After
     * @param window counted from the first failure; the lock ends with it
     * @param tracked users and addresses remembered at most (bounded memory)
     */
    record LoginThrottle(@DefaultValue("10") int maxFailures, @DefaultValue("5m") Duration window,
                         @DefaultValue("10000") int tracked) {

        LoginThrottle {
            String p = "hooksync.management.login-throttle.";
            SettingBounds.between(p + "max-failures", maxFailures, 1, 1_000_000, "failures within one window");
            SettingBounds.between(p + "window", window, Duration.ofSeconds(1), Duration.ofDays(1),
                    "counted from the first failure");
            SettingBounds.between(p + "tracked", tracked, 1, 10_000_000, "users and addresses remembered");
        }
    }

    /**
     * One API token: where its secret is and what it may do.
     *
     * @param secret env:NAME or file:/path of the token (at least 24 characters)
     * @param role read (GET only) or admin
     */
    record Token(String secret, @DefaultValue("read") Role role) {
    }

    /** {@code read}: every GET; {@code admin}: everything, including changes and Jolokia. */
    enum Role {
        READ, ADMIN;

        String authority() {
            return "ROLE_" + name().toUpperCase(Locale.ROOT);
        }
    }
}
