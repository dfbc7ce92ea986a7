package io.hooksync.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads the {@link BinlogSetupFacts} of a MariaDB source over a plain JDBC connection with the source's user. */
final class MariaDbSetupCheck {

    private MariaDbSetupCheck() {
    }

    /** The problems that stop this source from running; a database that cannot be reached is one of them. */
    static List<String> problems(CdcSource source) {
        try (Connection c = source.connect()) {
            return facts(c, source).problems(source);
        } catch (SQLException e) {
            return List.of("cannot connect to " + source.host() + ":" + source.port() + " as '" + source.user() + "': "
                    + e.getMessage());
        }
    }

    static BinlogSetupFacts facts(Connection c, CdcSource source) throws SQLException {
        boolean logBin;
        String format;
        String rowImage;
        String grantee;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@log_bin, @@binlog_format, @@binlog_row_image, CURRENT_USER()")) {
            rs.next();
            logBin = rs.getInt(1) == 1;
            format = rs.getString(2);
            rowImage = rs.getString(3);
            String current = rs.getString(4);
            int at = current.lastIndexOf('@');
            grantee = "'" + current.substring(0, at) + "'@'" + current.substring(at + 1) + "'";
        }
        Set<String> privileges = new HashSet<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?")) {
            p.setString(1, grantee);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    privileges.add(rs.getString(1).toUpperCase(Locale.ROOT));
                }
            }
        }
        List<String> invisible = new ArrayList<>();
        try (PreparedStatement t = c.prepareStatement(
                "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            for (String name : source.tables()) {
                String[] parts = name.split("\\.", 2);
                t.setString(1, parts[0]);
                t.setString(2, parts[1]);
                try (ResultSet rs = t.executeQuery()) {
                    if (!rs.next()) {
                        invisible.add(name);
                    }
                }
            }
        }
        return new BinlogSetupFacts(logBin, format, rowImage, privileges, invisible);
    }
}
