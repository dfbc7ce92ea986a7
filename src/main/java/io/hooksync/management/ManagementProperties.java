package io.hooksync.management;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hooksync.management.*}: the admin user, the API tokens and the failed-login throttle. Token
 * secrets are references ({@code env:NAME}, {@code file:/path}), never values, like every other secret.
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
     */
    record LoginThrottle(@DefaultValue("10") int maxFailures, @DefaultValue("5m") Duration window,
                         @DefaultValue("10000") int tracked) {

        LoginThrottle {
            if (maxFailures < 1 || tracked < 1 || window == null || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("hooksync.management.login-throttle: max-failures and tracked"
                        + " must be at least 1 and window positive, got " + maxFailures + ", " + tracked + ", " + window);
            }
        }
    }

    /** One API token: where its secret is and what it may do. */
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
