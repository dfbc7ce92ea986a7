package io.hooksync.management;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

import io.hooksync.infra.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses (403 problem+json) a request that a browser says comes from another site, whatever its
 * credentials: a browser replays cached Basic credentials and the session cookie on its own, so neither
 * proves the user meant to send it. Applies to every unsafe method, and to every method on Jolokia,
 * whose GET URLs can invoke MBean operations. The request's own origin is its scheme, host and port as
 * the server sees it (after {@code server.forward-headers-strategy}). The {@code Origin} header decides;
 * without it, {@code Sec-Fetch-Site}. A request with neither (curl, scripts, old browsers) passes: the
 * CSRF token and SameSite cookies still protect sessions and Basic.
 */
final class SameOriginFilter extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Set<String> FOREIGN_FETCH_SITES = Set.of("cross-site", "same-site");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String refusal = guarded(request) ? refusal(request) : null;
        if (refusal != null) {
            ProblemResponses.write(response, HttpServletResponse.SC_FORBIDDEN, "cross-site-request",
                    "Cross-site request refused", refusal);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean guarded(HttpServletRequest request) {
        if (!SAFE_METHODS.contains(request.getMethod().toUpperCase(Locale.ROOT))) {
            return true;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/actuator/jolokia") || path.startsWith("/actuator/hawtio/jolokia");
    }

    /** Why the request is refused, or null when it is same-origin or says nothing about its origin. */
    static String refusal(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        String own = ownOrigin(request);
        if (origin != null) {
            return sameOrigin(origin, request) ? null
                    : "Origin " + printable(origin) + " is not this server's origin " + own;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && FOREIGN_FETCH_SITES.contains(site.trim().toLowerCase(Locale.ROOT))) {
            return "Sec-Fetch-Site: " + printable(site) + ": only pages of " + own + " may send this request";
        }
        return null;
    }

    private static boolean sameOrigin(String origin, HttpServletRequest request) {
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme();
            if (scheme == null || uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty())) {
                return false;
            }
            return scheme.equalsIgnoreCase(request.getScheme())
                    && uri.getHost().equalsIgnoreCase(request.getServerName())
                    && port(scheme, uri.getPort()) == port(request.getScheme(), request.getServerPort());
        } catch (java.net.URISyntaxException e) {
            return false;   // includes "null", sent by sandboxed frames and some redirects
        }
    }

    private static int port(String scheme, int port) {
        if (port > 0) {
            return port;
        }
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    private static String ownOrigin(HttpServletRequest request) {
        return request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort();
    }

    private static String printable(String value) {
        String cut = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
