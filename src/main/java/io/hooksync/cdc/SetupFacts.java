package io.hooksync.cdc;

import java.util.ArrayList;
import java.util.List;

/**
 * What the source database says about itself, and the pure decision whether CDC can run on it. Each
 * problem names the fix, so a wrong setup gives one clear startup message instead of a Debezium stack trace.
 */
record SetupFacts(String walLevel, boolean superuser, boolean replication, List<String> missingTables,
                  List<String> tablesNotOwned, boolean createOnDatabase, boolean publicationExists,
                  List<String> tablesWithoutIdentity) {

    List<String> problems(CdcSource source) {
        List<String> problems = new ArrayList<>();
        String where = source.host() + ":" + source.port() + "/" + source.database();
        if (!"logical".equals(walLevel)) {
            problems.add("wal_level is '" + walLevel + "' on " + where + "; logical decoding needs wal_level=logical. "
                    + "Fix: ALTER SYSTEM SET wal_level = logical (as a superuser), then restart PostgreSQL "
                    + "(in docker compose: command: postgres -c wal_level=logical)");
        }
        if (!superuser && !replication) {
            problems.add("user '" + source.user() + "' has no REPLICATION permission on " + where + ". Fix: ALTER ROLE \""
                    + source.user() + "\" REPLICATION (as a superuser; on Amazon RDS: GRANT rds_replication TO \""
                    + source.user() + "\")");
        }
        if (!missingTables.isEmpty()) {
            problems.add("table(s) " + missingTables + " do not exist in " + where
                    + ". Fix: create them, or correct hooksync.cdc.sources." + source.name() + ".tables");
        }
        if (!tablesWithoutIdentity.isEmpty()) {
            // PostgreSQL refuses UPDATE and DELETE on a published table it cannot identify rows of: the application's
            // own writes would fail from the moment Debezium adds the table to the publication
            problems.add("table(s) " + tablesWithoutIdentity + " on " + where + " have no primary key or replica "
                    + "identity: once published for CDC, every UPDATE and DELETE on them would fail (\"cannot update "
                    + "table ... because it does not have a replica identity and publishes updates\"). Fix: add a "
                    + "primary key, or " + tablesWithoutIdentity.stream().map(t -> "ALTER TABLE " + t
                            + " REPLICA IDENTITY FULL").collect(java.util.stream.Collectors.joining("; "))
                    + ", or remove them from hooksync.cdc.sources." + source.name() + ".tables");
        }
        String createPublication = "CREATE PUBLICATION " + source.publication() + " FOR TABLE "
                + String.join(", ", source.tables());
        if (!publicationExists && !source.publicationAutocreate()) {
            problems.add("publication " + source.publication() + " does not exist on " + where
                    + " and publication-autocreate is false. Fix: " + createPublication
                    + " (as the tables' owner), or set publication-autocreate: true");
        } else if (!publicationExists && !superuser && (!createOnDatabase || !tablesNotOwned.isEmpty())) {
            problems.add("user '" + source.user() + "' cannot create publication " + source.publication() + " on " + where
                    + (createOnDatabase ? "" : " (no CREATE permission on the database)")
                    + (tablesNotOwned.isEmpty() ? "" : " (does not own " + tablesNotOwned + ")")
                    + ". Fix: " + createPublication + " once as the tables' owner"
                    + " and set publication-autocreate: false");
        }
        return problems;
    }
}
