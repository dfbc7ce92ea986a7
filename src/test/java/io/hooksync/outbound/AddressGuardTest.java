package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class AddressGuardTest {

    private final AddressGuard strict = new AddressGuard(List.of(), false);

    @Test
    void refusesInternalAddresses() {
        assertThat(strict.problem("http://127.0.0.1:8080/hook")).contains("loopback");
        assertThat(strict.problem("http://localhost/hook")).contains("loopback");
        assertThat(strict.problem("http://169.254.169.254/latest/meta-data")).contains("link-local");
        assertThat(strict.problem("http://10.0.0.1/")).contains("private");
        assertThat(strict.problem("http://192.168.1.10/")).contains("private");
        assertThat(strict.problem("http://172.20.0.5/")).contains("private");
        assertThat(strict.problem("http://100.64.1.1/")).contains("private");
        assertThat(strict.problem("http://[::1]:9000/")).contains("loopback");
        assertThat(strict.problem("http://[fd00::1]/")).contains("private");
        assertThat(strict.problem("http://0.0.0.0/")).isNotNull();
        assertThat(strict.problem("http://[::ffff:127.0.0.1]/")).contains("loopback");
    }

    @Test
    void acceptsPublicAddressesAndWhatTheAllowListNames() {
        assertThat(strict.problem("https://93.184.215.14/hook")).isNull();
        AddressGuard allowing = new AddressGuard(List.of("127.0.0.1/32"), false);
        assertThat(allowing.problem("http://127.0.0.1:8080/hook")).isNull();
        assertThat(allowing.problem("http://127.0.0.2:8080/hook")).contains("loopback");
        assertThat(allowing.problem("http://10.0.0.1/")).contains("private");
    }

    @Test
    void checksSchemeHostAndCredentials() {
        assertThat(strict.problem("ftp://example.com/x")).contains("https:// or http://");
        assertThat(strict.problem("not a url")).contains("not a URL");
        assertThat(strict.problem("https:///path")).contains("no host");
        assertThat(strict.problem("https://user:pw@93.184.215.14/")).contains("credentials");
        assertThat(new AddressGuard(List.of(), true).problem("http://93.184.215.14/")).contains("https is required");
    }

    @Test
    void theResolverRefusesOnEveryLookup() {
        assertThatThrownBy(() -> strict.resolve("127.0.0.1")).isInstanceOf(AddressGuard.BlockedAddressException.class)
                .hasMessageContaining("allowed-networks");
        assertThatThrownBy(() -> new AddressGuard(List.of("not-a-cidr"), false))
                .hasMessageContaining("not an IP address or CIDR");
    }
}
