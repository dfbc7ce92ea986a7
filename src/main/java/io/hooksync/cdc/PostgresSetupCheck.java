package io.hooksync.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@link SetupFacts} of a PostgreSQL source over a plain JDBC connection with the source's user. */
final class PostgresSetupCheck {

    private PostgresSetupCheck() {
    }

    /** The problems that stop this source from running; a database that cannot be reached is one of them. */
    static List<String> problems(CdcSource source) {
        try (Connection c = source.connect()) {
            return facts(c, source).problems(source);
        } catch (SQLException e) {
            return List.of("cannot connect to " + source.host() + ":" + source.port() + "/" + source.database()
                    + " as '" + source.user() + "': " + e.getMessage());
        }
    }

    static SetupFacts facts(Connection c, CdcSource source) throws SQLException {
        String walLevel;
        boolean superuser;
        boolean replication;
        boolean createOnDatabase;
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW wal_level")) {
                rs.next();
                walLevel = rs.getString(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT rolsuper, rolreplication, "
                    + "has_database_privilege(current_user, current_database(), 'CREATE') "
                    + "FROM pg_roles WHERE rolname = current_user")) {
                rs.next();
                superuser = rs.getBoolean(1);
                replication = rs.getBoolean(2);
                createOnDatabase = rs.getBoolean(3);
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> notOwned = new ArrayList<>();
        List<String> withoutIdentity = new ArrayList<>();
        // replica identity: DEFAULT uses the primary key (none: rows cannot be identified), NOTHING never can; FULL
        // and USING INDEX (an index marked indisreplident) always can
        try (PreparedStatement table = c.prepareStatement("SELECT pg_has_role(current_user, c.relowner, 'USAGE'), "
                + "CASE c.relreplident WHEN 'f' THEN true WHEN 'n' THEN false "
                + "WHEN 'i' THEN EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident) "
                + "ELSE EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) END "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
            for (String name : source.tables()) {
                String[] parts = name.split("\\.", 2);
                table.setString(1, parts[0]);
                table.setString(2, parts[1]);
                try (ResultSet rs = table.executeQuery()) {
                    if (!rs.next()) {
                        missing.add(name);
                    } else {
                        if (!rs.getBoolean(1)) {
                            notOwned.add(name);
                        }
                        if (!rs.getBoolean(2)) {
                            withoutIdentity.add(name);
                        }
                    }
                }
            }
        }
        boolean publication;
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            p.setString(1, source.publication());
            try (ResultSet rs = p.executeQuery()) {
                publication = rs.next();
            }
        }
        return new SetupFacts(walLevel, superuser, replication, missing, notOwned, createOnDatabase, publication,
                withoutIdentity);
    }
}
