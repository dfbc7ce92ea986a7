package io.hooksync.outbound;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Outbound message ids are {@code msg_<installation prefix>_<outbox id>}: stable for one outbox row (the
 * relay may publish a row twice), and unique across installations and database resets thanks to a
 * random prefix chosen once per database ({@code hooksync_settings.message_id_prefix}); a receiver that
 * deduplicates on {@code webhook-id} never mistakes a new message for an old one.
 */
final class MessageIds {

    private static final String KEY = "message_id_prefix";

    private MessageIds() {
    }

    /** The database's prefix, created by the first instance that asks (others read the same one). */
    static String prefix(JdbcTemplate jdbc) {
        List<String> existing = jdbc.queryForList("SELECT value FROM hooksync_settings WHERE name = ?", String.class, KEY);
        if (!existing.isEmpty()) {
            return existing.get(0);
        }
        byte[] random = new byte[5];
        new SecureRandom().nextBytes(random);
        try {
            jdbc.update("INSERT INTO hooksync_settings (name, value) VALUES (?, ?)", KEY, HexFormat.of().formatHex(random));
        } catch (DuplicateKeyException anotherInstanceWasFirst) {
            // fine: read theirs
        }
        return jdbc.queryForObject("SELECT value FROM hooksync_settings WHERE name = ?", String.class, KEY);
    }

    static String of(String prefix, long outboxId) {
        return "msg_" + prefix + "_" + outboxId;
    }
}
