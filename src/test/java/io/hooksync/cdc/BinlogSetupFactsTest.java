package io.hooksync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The MariaDB setup decision, and the binlog lag the health page shows. */
class BinlogSetupFactsTest {

    private static final CdcSource SOURCE = new CdcSource(CdcSource.Kind.MARIADB, "shop", "hooksync.events.shop",
            "jdbc:mariadb://db:3306/shop", "db", 3306, "shop", "sync", "", List.of("shop.customers"), true, "initial",
            Duration.ofSeconds(10), 1000);
    private static final Set<String> GRANTED = Set.of("SELECT", "REPLICATION SLAVE", "BINLOG MONITOR");

    @Test
    void aReadyServerHasNoProblem() {
        assertThat(new BinlogSetupFacts(true, "ROW", "FULL", GRANTED, List.of()).problems(SOURCE)).isEmpty();
        assertThat(new BinlogSetupFacts(true, "ROW", "FULL", Set.of("REPLICATION REPLICA", "REPLICATION CLIENT"),
                List.of()).problems(SOURCE)).as("MySQL-style names").isEmpty();
    }

    @Test
    void aServerWithoutBinlogNamesTheSettings() {
        assertThat(new BinlogSetupFacts(false, "MIXED", "FULL", GRANTED, List.of()).problems(SOURCE)).singleElement()
                .asString().contains("binary log is off on db:3306").contains("log_bin, binlog_format = ROW");
    }

    @Test
    void statementOrMinimalBinlogsAreRefused() {
        assertThat(new BinlogSetupFacts(true, "MIXED", "MINIMAL", GRANTED, List.of()).problems(SOURCE))
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("binlog_format is 'MIXED'").contains("SET GLOBAL binlog_format = 'ROW'"))
                .anySatisfy(p -> assertThat(p).contains("binlog_row_image is 'MINIMAL'"));
    }

    @Test
    void missingPrivilegesAndTablesNameTheGrants() {
        List<String> problems = new BinlogSetupFacts(true, "ROW", "FULL", Set.of("SELECT"), List.of("shop.customers"))
                .problems(SOURCE);
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("user 'sync' lacks REPLICATION SLAVE and BINLOG MONITOR")
                .contains("GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'sync'@'%'");
        assertThat(problems.get(1)).contains("[shop.customers] do not exist").contains("GRANT SELECT");
    }

    @Test
    void lagCountsTheRestOfTheCurrentFileAndEveryLaterOne() {
        Map<String, Long> logs = new LinkedHashMap<>();
        logs.put("mysql-bin.000001", 1000L);
        logs.put("mysql-bin.000002", 800L);
        logs.put("mysql-bin.000003", 300L);
        assertThat(BinlogLagHealth.lag(logs, "mysql-bin.000003", 300L)).isZero();
        assertThat(BinlogLagHealth.lag(logs, "mysql-bin.000002", 500L)).isEqualTo(300L + 300L);
        assertThat(BinlogLagHealth.lag(logs, "mysql-bin.000000", 4L)).as("purged before capture").isNull();
    }
}
