package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** IPv6 forms that tunnel or translate to IPv4 are judged by the IPv4 address they carry, or refused outright. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            64:ff9b::7f00:1           | NAT64 (64:ff9b::/96) address embedding 127.0.0.1, a loopback
            64:ff9b::a00:1            | NAT64 (64:ff9b::/96) address embedding 10.0.0.1, a private
            64:ff9b::a9fe:a9fe        | NAT64 (64:ff9b::/96) address embedding 169.254.169.254, a link-local
            64:ff9b::c0a8:101         | embedding 192.168.1.1, a private
            64:ff9b::6464:101         | embedding 100.100.1.1, a private
            64:ff9b:1::7f00:1         | local-use NAT64 address (64:ff9b:1::/48)
            64:ff9b:1:abcd::5db8:d70e | local-use NAT64 address (64:ff9b:1::/48)
            2002:7f00:1::1            | 6to4 (2002::/16) address embedding 127.0.0.1, a loopback
            2002:a00:1::              | 6to4 (2002::/16) address embedding 10.0.0.1, a private
            2002:a9fe:a9fe:1::1       | embedding 169.254.169.254, a link-local
            2002:ac10:1::             | embedding 172.16.0.1, a private
            2002:e000:1::             | embedding 224.0.0.1, a private or reserved
            ::7f00:1                  | deprecated IPv4-compatible address (::/96)
            ::a00:1                   | deprecated IPv4-compatible address (::/96)
            ::5db8:d70e               | deprecated IPv4-compatible address (::/96)
            ::ffff:0:7f00:1           | IPv4-translated (::ffff:0:0:0/96) address embedding 127.0.0.1, a loopback
            ::ffff:0:a00:1            | IPv4-translated (::ffff:0:0:0/96) address embedding 10.0.0.1
            ::ffff:a00:1              | private
            ::ffff:a9fe:a9fe          | link-local
            2001:0:4136:e378:8000:63bf:3fff:fdd2 | Teredo tunnel address (2001::/32)
            2001::1                   | Teredo tunnel address (2001::/32)
            fec0::1                   | site-local address (fec0::/10)
            feff::1                   | site-local address (fec0::/10)
            fe80::1                   | link-local
            fd12:3456::1              | private or reserved
            ff02::1                   | private or reserved
            100::1                    | private or reserved
            ::                        | private or reserved
            """)
    void refusesIpv6FormsThatReachInternalIpv4(String address, String why) {
        assertThat(strict.problem("http://[" + address + "]/hook")).startsWith("refused: [" + address + "] resolves to")
                .contains(why).contains("allowed-networks");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            64:ff9b::5db8:d70e
            64:ff9b::808:808
            2002:5db8:d70e::1
            2002:808:808:1::
            ::ffff:0:5db8:d70e
            2606:4700:4700::1111
            2001:4860:4860::8888
            2a00:1450:4001:80b::200e
            """)
    void acceptsIpv6FormsThatReachPublicAddresses(String address) {
        assertThat(strict.problem("https://[" + address + "]/hook")).isNull();
    }

    @Test
    void anAllowedNetworkIsAllowedAlsoWhenEmbedded() {
        AddressGuard allowing = new AddressGuard(List.of("10.1.0.0/16", "fec0::/10"), false);
        assertThat(allowing.problem("http://10.1.2.3/")).isNull();
        assertThat(allowing.problem("http://[64:ff9b::a01:203]/")).isNull();
        assertThat(allowing.problem("http://[2002:a01:203::]/")).isNull();
        assertThat(allowing.problem("http://[fec0::1]/")).isNull();
        assertThat(allowing.problem("http://[64:ff9b::a02:203]/")).contains("embedding 10.2.2.3");
        assertThat(allowing.problem("http://10.2.2.3/")).contains("private");
        assertThat(allowing.problem("http://127.0.0.1/")).contains("loopback");
    }

    @Test
    void refusesPortsOutsideAllowedPortsWhenSet() {
        AddressGuard ports = new AddressGuard(List.of(), List.of(443, 8443), false);
        assertThat(ports.problem("https://93.184.215.14/hook")).isNull();
        assertThat(ports.problem("https://93.184.215.14:8443/hook")).isNull();
        assertThat(ports.problem("http://93.184.215.14/hook")).isEqualTo(
                "refused: port 80 is not allowed (hooksync.outbound.allowed-ports: [443, 8443])");
        assertThat(ports.problem("https://93.184.215.14:22/")).contains("port 22 is not allowed");
        assertThat(ports.problem("https://93.184.215.14:6379/")).contains("port 6379 is not allowed");
        assertThat(ports.problem("https://10.0.0.1:443/")).contains("private");
        assertThat(strict.problem("https://93.184.215.14:6379/")).isNull();
        assertThatThrownBy(() -> new AddressGuard(List.of(), List.of(0), false)).hasMessageContaining("allowed-ports");
        assertThatThrownBy(() -> new AddressGuard(List.of(), List.of(70_000), false)).hasMessageContaining("1 to 65535");
    }
}
