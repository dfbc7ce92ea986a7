package io.hooksync.infra.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Makes the embedded PostgreSQL accept only password (SCRAM) logins over 127.0.0.1, replication
 * included (CDC from the engine's own database). initdb, and every data directory made before
 * Hooksync set a password, trusts any local connection: on the first start with such a directory
 * the superuser gets its password and {@code pg_hba.conf} is replaced, then reloaded. From then on
 * the server starts password-only.
 */
final class PasswordAuthentication {

    static final String PG_HBA = """
            # Written by Hooksync: password (SCRAM) logins over 127.0.0.1 only, replication included.
            # Nothing else is accepted (the server listens on 127.0.0.1 and has no Unix socket).
            host  all          all  127.0.0.1/32  scram-sha-256
            host  replication  all  127.0.0.1/32  scram-sha-256
            """;

    private PasswordAuthentication() {
    }

    /** True when {@code pgData} was already made password-only by Hooksync. */
    static boolean inPlace(Path pgData) throws IOException {
        Path hba = pgData.resolve("pg_hba.conf");
        return Files.exists(hba) && Files.readString(hba, StandardCharsets.UTF_8).equals(PG_HBA);
    }

    /** Sets the superuser's password (connecting while trust still applies), then requires it. */
    static void enable(DataSource trusted, String user, String password, Path pgData) throws IOException {
        try (Connection connection = trusted.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            // ALTER ROLE takes no bind parameters; the password is generated from [A-Za-z0-9_-] only
            statement.execute("ALTER ROLE \"" + user + "\" PASSWORD '" + password.replace("'", "''") + "'");
            Path partial = pgData.resolve("pg_hba.conf.partial");   // a torn pg_hba.conf would stop the next start
            Files.writeString(partial, PG_HBA, StandardCharsets.UTF_8);
            Files.move(partial, pgData.resolve("pg_hba.conf"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("cannot set the embedded PostgreSQL password: " + e.getMessage(), e);
        }
    }
}
