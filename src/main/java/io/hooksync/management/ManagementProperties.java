package io.hooksync.management;

import java.util.Locale;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hooksync.management.*}: the admin user and the API tokens. Token secrets are references
 * ({@code env:NAME}, {@code file:/path}), never values, like every other secret of Hooksync.
 */
@ConfigurationProperties(prefix = "hooksync.management")
record ManagementProperties(
        @DefaultValue("admin") String adminUser,
        @DefaultValue("") String adminPassword,
        Map<String, Token> tokens) {

    ManagementProperties {
        tokens = tokens == null ? Map.of() : Map.copyOf(tokens);
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
