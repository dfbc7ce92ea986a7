package io.hooksync.infra;

import java.io.IOException;
import java.nio.file.Path;

import org.springframework.core.env.Environment;

/**
 * Secrets are named in configuration, never written there: {@code env:NAME} reads an environment
 * variable (or any Spring property of that name, e.g. from {@code .env}), {@code file:/path} reads a
 * file (Docker and Kubernetes secrets). Used by webhook sources and declared outbound endpoints.
 */
public final class SecretReferences {

    private SecretReferences() {
    }

    /** The secret a reference names; the exception says what is missing, never a secret value. */
    public static String resolve(String ref, Environment environment) {
        if (ref != null && ref.startsWith("env:")) {
            String variable = ref.substring(4).trim();
            String value = environment.getProperty(variable);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("environment variable " + variable + " is not set");
            }
            return value;
        }
        if (ref != null && ref.startsWith("file:")) {
            Path file = Path.of(ref.substring(5).trim());
            try {
                String value = BoundedFiles.readString(file, BoundedFiles.SECRET_MAX_BYTES).strip();
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("secret file " + file + " is empty");
                }
                return value;
            } catch (BoundedFiles.RefusedFileException e) {
                throw new IllegalArgumentException("secret file " + file + " is not read: " + e.getMessage());
            } catch (IOException e) {
                throw new IllegalArgumentException("secret file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        throw new IllegalArgumentException("a secret reference is neither env:NAME nor file:/path; "
                + "secrets are never written into configuration files");
    }

    /** Whether a reference has the form of one (so a literal secret can be refused before anything else). */
    public static boolean isReference(String ref) {
        return ref != null && (ref.startsWith("env:") || ref.startsWith("file:"));
    }
}
