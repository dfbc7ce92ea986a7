package io.hooksync.management;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.hooksync.infra.InvalidConfigurationException;
import io.hooksync.infra.SecretReferences;
import org.springframework.core.env.Environment;

/**
 * The configured API tokens, resolved once at startup. A lookup compares the SHA-256 of the
 * presented token with every configured one in constant time, so neither the timing nor an early
 * exit tells an attacker how close a guess was.
 */
final class ApiTokens {

    /** Shorter secrets are refused: a token is a password that cannot be rate limited per user. */
    static final int MIN_LENGTH = 24;

    /** A token that matched: its configured name and role. */
    record Holder(String name, ManagementProperties.Role role) {
    }

    private record Entry(Holder holder, byte[] digest) {
    }

    private final List<Entry> entries;

    private ApiTokens(List<Entry> entries) {
        this.entries = entries;
    }

    static ApiTokens resolve(Map<String, ManagementProperties.Token> tokens, Environment environment) {
        List<String> problems = new ArrayList<>();
        Map<String, Entry> resolved = new LinkedHashMap<>();
        tokens.forEach((name, token) -> {
            String where = "hooksync.management.tokens." + name;
            if (token.role() == null) {
                problems.add(where + ".role: read or admin");
                return;
            }
            try {
                String secret = SecretReferences.resolve(token.secret(), environment);
                if (secret.length() < MIN_LENGTH) {
                    problems.add(where + ".secret: the token must have at least " + MIN_LENGTH + " characters");
                    return;
                }
                resolved.put(name, new Entry(new Holder(name, token.role()), sha256(secret)));
            } catch (IllegalArgumentException e) {
                problems.add(where + ".secret: " + e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new ApiTokens(List.copyOf(resolved.values()));
    }

    Optional<Holder> find(String presented) {
        byte[] digest = sha256(presented);
        Holder found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest)) {
                found = entry.holder();
            }
        }
        return Optional.ofNullable(found);
    }

    int size() {
        return entries.size();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
