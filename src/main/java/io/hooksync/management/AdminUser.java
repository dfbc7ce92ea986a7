package io.hooksync.management;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import io.hooksync.infra.InvalidConfigurationException;
import io.hooksync.infra.RuntimeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin password policy. Embedded mode (a developer's laptop) may start without one: a random
 * password is generated and printed once. Production mode never invents a password: a shared
 * deployment that forgot {@code HOOKSYNC_ADMIN_PASSWORD} must not start with one only its log knows.
 */
final class AdminUser {

    static final int MIN_PRODUCTION_LENGTH = 12;
    private static final Logger log = LoggerFactory.getLogger(AdminUser.class);

    private AdminUser() {
    }

    static String password(String user, String configured, RuntimeMode mode) {
        boolean missing = configured == null || configured.isBlank();
        if (mode == RuntimeMode.PRODUCTION) {
            if (missing) {
                throw new InvalidConfigurationException(List.of("HOOKSYNC_ADMIN_PASSWORD is not set: production mode"
                        + " (hooksync.mode=production) has no default admin password; set it (at least "
                        + MIN_PRODUCTION_LENGTH + " characters) in the environment or .env"));
            }
            if (configured.length() < MIN_PRODUCTION_LENGTH) {
                throw new InvalidConfigurationException(List.of("HOOKSYNC_ADMIN_PASSWORD is too short for production"
                        + " mode: use at least " + MIN_PRODUCTION_LENGTH + " characters"));
            }
            return configured;
        }
        if (!missing) {
            return configured;
        }
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        log.warn("""

                No HOOKSYNC_ADMIN_PASSWORD set: generated a password for this run (embedded mode only).
                  Dashboard, API, Hawtio and actuator login:  {} / {}
                Set HOOKSYNC_ADMIN_PASSWORD to choose one; production mode refuses to start without it.""",
                user, generated);
        return generated;
    }
}
