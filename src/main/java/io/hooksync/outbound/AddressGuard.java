package io.hooksync.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The SSRF guard. Receiver URLs must not reach the engine's own network: loopback, link-local (cloud
 * metadata at 169.254.169.254), private, shared (CGNAT), unique-local, multicast and unspecified
 * addresses are refused unless an allow-list entry (CIDR) names them. It checks URLs when an endpoint is
 * saved and, as the HTTP client's DNS resolver, every address of every new connection, so a name that
 * later resolves elsewhere (DNS rebinding) is still refused. Redirects are never followed.
 */
final class AddressGuard implements DnsResolver {

    private static final List<IpAddressMatcher> FORBIDDEN = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8").stream().map(IpAddressMatcher::new).toList();

    private final List<IpAddressMatcher> allowed;
    private final List<String> allowList;
    private final boolean requireHttps;

    /** Thrown when a name resolves to an address the guard refuses; a connection attempt fails with it. */
    static final class BlockedAddressException extends UnknownHostException {
        BlockedAddressException(String message) {
            super(message);
        }
    }

    AddressGuard(List<String> allowList, boolean requireHttps) {
        this.allowList = List.copyOf(allowList);
        this.allowed = allowList.stream().map(AddressGuard::matcher).toList();
        this.requireHttps = requireHttps;
    }

    private static IpAddressMatcher matcher(String cidr) {
        try {
            return new IpAddressMatcher(cidr.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hooksync.outbound.allowed-networks: '" + cidr
                    + "' is not an IP address or CIDR range (e.g. 127.0.0.1/32, 10.1.0.0/16, ::1/128)");
        }
    }

    /** Null when the URL may be used as a receiver, otherwise why not. */
    String problem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return "'" + url + "' is not a URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return "the URL must start with https:// or http://";
        }
        if (requireHttps && !scheme.equals("https")) {
            return "https is required (hooksync.outbound.require-https=true)";
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return "the URL has no host";
        }
        if (uri.getUserInfo() != null) {
            return "credentials in the URL are not allowed; use a custom header";
        }
        try {
            resolve(uri.getHost());
            return null;
        } catch (BlockedAddressException e) {
            return e.getMessage();
        } catch (UnknownHostException e) {
            return "host " + uri.getHost() + " does not resolve";
        }
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(bare);
        for (InetAddress address : addresses) {
            String why = refusal(address);
            if (why != null) {
                throw new BlockedAddressException("refused: " + host + " resolves to " + address.getHostAddress()
                        + ", " + why + " (allow it with hooksync.outbound.allowed-networks)");
            }
        }
        return addresses;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
    }

    private String refusal(InetAddress address) {
        String text = address.getHostAddress();
        if (allowed.stream().anyMatch(m -> m.matches(text))) {
            return null;
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address";
        }
        return FORBIDDEN.stream().anyMatch(m -> m.matches(text)) ? "a private or reserved address" : null;
    }

    List<String> allowList() {
        return allowList;
    }
}
