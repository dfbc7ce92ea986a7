package io.hooksync.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.hooksync.infra.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.unit.DataSize;

/** Reading hooksync.cdc.sources: kinds, URLs and table names, each mistake named with the fix. */
class CdcSourcesTest {

    private final MockEnvironment environment = new MockEnvironment().withProperty("SHOP_PASSWORD", "pw");

    private static CdcProperties.SourceProperties source(String kind, String url, String... tables) {
        return new CdcProperties.SourceProperties(true, kind, url, "sync", "env:SHOP_PASSWORD", List.of(tables), true,
                "initial", Duration.ofSeconds(10), DataSize.ofMegabytes(256));
    }

    private List<CdcSource> build(CdcProperties.SourceProperties source) {
        CdcProperties properties = new CdcProperties("hooksync.cdc.offsets", Duration.ofSeconds(1), Map.of("shop", source));
        return CdcSources.build(properties, environment, null, name -> "hooksync.events." + name);
    }

    private String problem(CdcProperties.SourceProperties source) {
        return catchThrowableOfType(InvalidConfigurationException.class, () -> build(source)).getMessage();
    }

    @Test
    void aMariaDbSourceTakesHostPortDatabaseAndQualifiesBareTables() {
        CdcSource shop = build(source("mariadb", "jdbc:mariadb://db.internal:3307/shop?useSsl=true", "customers",
                "billing.invoices")).get(0);
        assertThat(shop.kind()).isEqualTo(CdcSource.Kind.MARIADB);
        assertThat(shop.host()).isEqualTo("db.internal");
        assertThat(shop.port()).isEqualTo(3307);
        assertThat(shop.database()).isEqualTo("shop");
        assertThat(shop.tables()).containsExactly("shop.customers", "billing.invoices");
        assertThat(shop.password()).isEqualTo("pw");
        assertThat(shop.serverId()).isBetween(5_400_000, 5_499_999);
        assertThat(shop.describe()).doesNotContain("pw");
    }

    @Test
    void mistakesAreNamedWithTheFix() {
        assertThat(problem(source("mysql", "jdbc:mysql://db:3306/shop", "shop.customers")))
                .contains("CDC source 'shop'").contains("kind 'mysql' is not supported yet").contains("kind: mariadb");
        assertThat(problem(source("oracle", "jdbc:oracle:thin:@db", "x.y"))).contains("use postgresql or mariadb");
        assertThat(problem(source("mariadb", "jdbc:postgresql://db/shop", "shop.customers")))
                .contains("is not jdbc:mariadb://host[:port][/database]");
        assertThat(problem(source("mariadb", "jdbc:mariadb://a,b/shop", "shop.customers"))).contains("single host");
        assertThat(problem(source("mariadb", "jdbc:mariadb://db:3306", "customers")))
                .contains("table 'customers' names no database");
        assertThat(problem(source("mariadb", "", "shop.customers"))).contains("a mariadb source needs url");
        CdcProperties.SourceProperties shop = source("mariadb", "jdbc:mariadb://db:3306/shop", "customers");
        assertThat(problem(new CdcProperties.SourceProperties(true, "mariadb", shop.url(), "sync", shop.password(),
                shop.tables(), true, "initial", Duration.ZERO, shop.maxLag())))
                .contains("CDC source 'shop'").contains("heartbeat must be between 100ms and 1h");
        assertThat(problem(new CdcProperties.SourceProperties(true, "mariadb", shop.url(), "sync", shop.password(),
                shop.tables(), true, "initial", shop.heartbeat(), DataSize.ofBytes(10))))
                .contains("max-lag must be between 1MB and 1024GB");
    }
}
