package io.hooksync.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * Which addresses a receiver may not resolve to, as a pure function of the address and the allow-list.
 * IPv6 forms that carry an IPv4 address are judged by that address: NAT64 ({@code 64:ff9b::/96}), 6to4
 * ({@code 2002::/16}) and IPv4-translated ({@code ::ffff:0:0:0/96}) reach the embedded IPv4 host, so a
 * public one is allowed and a private or loopback one refused. Forms that are deprecated or local by
 * definition are refused whatever they carry: IPv4-compatible ({@code ::/96}), local-use NAT64
 * ({@code 64:ff9b:1::/48}, where the IPv4 part's position depends on the operator's prefix length),
 * Teredo ({@code 2001::/32}) and site-local ({@code fec0::/10}). (IPv4-mapped {@code ::ffff:a.b.c.d}
 * addresses are turned into IPv4 addresses by the JDK before they get here.)
 */
final class AddressRules {

    private static final List<IpAddressMatcher> PRIVATE = matchers(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "100::/64");
    private static final IpAddressMatcher SITE_LOCAL = new IpAddressMatcher("fec0::/10");
    private static final IpAddressMatcher TEREDO = new IpAddressMatcher("2001::/32");
    private static final IpAddressMatcher NAT64_LOCAL = new IpAddressMatcher("64:ff9b:1::/48");
    private static final IpAddressMatcher NAT64 = new IpAddressMatcher("64:ff9b::/96");
    private static final IpAddressMatcher SIX_TO_FOUR = new IpAddressMatcher("2002::/16");
    private static final IpAddressMatcher IPV4_COMPATIBLE = new IpAddressMatcher("::/96");
    private static final IpAddressMatcher IPV4_TRANSLATED = new IpAddressMatcher("::ffff:0:0:0/96");

    private final Predicate<String> allowed;

    /** {@code allowed} says whether an address (its text form) is on the allow-list. */
    AddressRules(Predicate<String> allowed) {
        this.allowed = allowed;
    }

    /** Null when a receiver may resolve to {@code address}, otherwise why not. */
    String refusal(InetAddress address) {
        String text = address.getHostAddress();
        if (allowed.test(text)) {
            return null;
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address";
        }
        if (PRIVATE.stream().anyMatch(m -> m.matches(text))) {
            return "a private or reserved address";
        }
        return address instanceof Inet6Address ? ipv6Refusal(address.getAddress(), text) : null;
    }

    private String ipv6Refusal(byte[] bytes, String text) {
        if (SITE_LOCAL.matches(text)) {
            return "a site-local address (fec0::/10)";
        }
        if (TEREDO.matches(text)) {
            return "a Teredo tunnel address (2001::/32)";
        }
        if (NAT64_LOCAL.matches(text)) {
            return "a local-use NAT64 address (64:ff9b:1::/48)";
        }
        if (IPV4_COMPATIBLE.matches(text)) {
            return "a deprecated IPv4-compatible address (::/96)";
        }
        if (NAT64.matches(text)) {
            return embedded(bytes, 12, "NAT64 (64:ff9b::/96)");
        }
        if (IPV4_TRANSLATED.matches(text)) {
            return embedded(bytes, 12, "IPv4-translated (::ffff:0:0:0/96)");
        }
        if (SIX_TO_FOUR.matches(text)) {
            return embedded(bytes, 2, "6to4 (2002::/16)");
        }
        return null;
    }

    /** The embedded IPv4 address at {@code offset} is judged by the IPv4 rules (and the allow-list). */
    private String embedded(byte[] bytes, int offset, String form) {
        InetAddress ipv4;
        try {
            ipv4 = Inet4Address.getByAddress(Arrays.copyOfRange(bytes, offset, offset + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);   // four bytes are always an IPv4 address
        }
        String why = refusal(ipv4);
        return why == null ? null : "a " + form + " address embedding " + ipv4.getHostAddress() + ", " + why;
    }

    private static List<IpAddressMatcher> matchers(String... cidrs) {
        return Arrays.stream(cidrs).map(IpAddressMatcher::new).toList();
    }
}
