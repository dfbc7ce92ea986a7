package io.hooksync.cdc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a MariaDB source says about itself, and the pure decision whether its binlog can be captured.
 * Each problem names the fix, like {@link SetupFacts} does for PostgreSQL.
 */
record BinlogSetupFacts(boolean logBin, String binlogFormat, String binlogRowImage, Set<String> globalPrivileges,
                        List<String> invisibleTables) {

    List<String> problems(CdcSource source) {
        List<String> problems = new ArrayList<>();
        String where = source.host() + ":" + source.port();
        String config = "Fix: in the server's configuration ([mariadbd] section) set log_bin, binlog_format = ROW, "
                + "binlog_row_image = FULL and a server_id, then restart MariaDB";
        if (!logBin) {
            problems.add("the binary log is off on " + where + "; CDC reads row changes from it. " + config);
        } else {
            if (!"ROW".equalsIgnoreCase(binlogFormat)) {
                problems.add("binlog_format is '" + binlogFormat + "' on " + where + "; CDC needs ROW. "
                        + "Fix: SET GLOBAL binlog_format = 'ROW' and set it in the configuration too");
            }
            if (!"FULL".equalsIgnoreCase(binlogRowImage)) {
                problems.add("binlog_row_image is '" + binlogRowImage + "' on " + where + "; CDC needs FULL (the whole "
                        + "row before and after). Fix: SET GLOBAL binlog_row_image = 'FULL' and set it in the configuration too");
            }
        }
        List<String> missing = new ArrayList<>();
        if (!has("REPLICATION SLAVE") && !has("REPLICATION REPLICA")) {
            missing.add("REPLICATION SLAVE");
        }
        if (!has("BINLOG MONITOR") && !has("REPLICATION CLIENT")) {
            missing.add("BINLOG MONITOR");
        }
        if (!missing.isEmpty()) {
            problems.add("user '" + source.user() + "' lacks " + String.join(" and ", missing) + " on " + where
                    + ". Fix: GRANT " + String.join(", ", missing) + " ON *.* TO '" + source.user() + "'@'%' (as an admin)");
        }
        if (!invisibleTables.isEmpty()) {
            problems.add("table(s) " + invisibleTables + " do not exist on " + where + " or user '" + source.user()
                    + "' cannot read them. Fix: create them, GRANT SELECT on them to '" + source.user()
                    + "', or correct hooksync.cdc.sources." + source.name() + ".tables");
        }
        return problems;
    }

    private boolean has(String privilege) {
        return globalPrivileges.contains(privilege);
    }
}
