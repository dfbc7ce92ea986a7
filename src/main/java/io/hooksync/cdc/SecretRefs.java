package io.hooksync.cdc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.core.env.Environment;

/**
 * Reads a database password reference: {@code env:NAME} or {@code file:/path}; a literal is refused so
 * no password ever sits in a configuration file. (The ingress reads webhook secrets the same way.)
 */
final class SecretRefs {

    private SecretRefs() {
    }

    /** The secret's value; empty when {@code ref} is empty (no password, e.g. trust authentication). */
    static String resolve(String ref, Environment environment) {
        if (ref == null || ref.isBlank()) {
            return "";
        }
        if (ref.startsWith("env:")) {
            String variable = ref.substring(4).trim();
            String value = environment.getProperty(variable);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("environment variable " + variable + " is not set");
            }
            return value;
        }
        if (ref.startsWith("file:")) {
            Path file = Path.of(ref.substring(5).trim());
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("secret file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        throw new IllegalArgumentException("password is neither env:NAME nor file:/path; "
                + "passwords are never written into configuration files");
    }
}
