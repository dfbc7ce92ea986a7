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
 * addresses, and IPv6 forms that embed such an IPv4 address ({@link AddressRules}), are refused unless
 * an allow-list entry (CIDR) names them. With {@code allowed-ports} set, other ports are refused too. It
 * checks URLs when an endpoint is saved and, as the HTTP client's DNS resolver, every address of every
 * new connection, so a name that later resolves elsewhere (DNS rebinding) is still refused; the port is
 * checked again before every request ({@link #portProblem}). Redirects are never followed.
 */
final class AddressGuard implements DnsResolver {

    private final List<String> allowList;
    private final AddressRules rules;
    private final List<Integer> allowedPorts;
    private final boolean requireHttps;

    /** Thrown when a name resolves to an address the guard refuses; a connection attempt fails with it. */
    static final class BlockedAddressException extends UnknownHostException {
        BlockedAddressException(String message) {
            super(message);
        }
    }

    AddressGuard(List<String> allowList, boolean requireHttps) {
        this(allowList, List.of(), requireHttps);
    }

    /** {@code allowedPorts} empty: any port. */
    AddressGuard(List<String> allowList, List<Integer> allowedPorts, boolean requireHttps) {
        this.allowList = List.copyOf(allowList);
        List<IpAddressMatcher> allowed = allowList.stream().map(AddressGuard::matcher).toList();
        this.rules = new AddressRules(text -> allowed.stream().anyMatch(m -> m.matches(text)));
        allowedPorts.forEach(port -> {
            if (port == null || port < 1 || port > 65_535) {
                throw new IllegalArgumentException("hooksync.outbound.allowed-ports: '" + port
                        + "' is not a port (1 to 65535)");
            }
        });
        this.allowedPorts = List.copyOf(allowedPorts);
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
        String port = portProblem(uri);
        if (port != null) {
            return port;
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

    /** Null when the URL's port (or its scheme's default) is allowed, otherwise why not. */
    String portProblem(URI uri) {
        if (allowedPorts.isEmpty()) {
            return null;
        }
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return allowedPorts.contains(port) ? null
                : "refused: port " + port + " is not allowed (hooksync.outbound.allowed-ports: " + allowedPorts + ")";
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(bare);
        for (InetAddress address : addresses) {
            String why = rules.refusal(address);
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

    List<String> allowList() {
        return allowList;
    }
}
