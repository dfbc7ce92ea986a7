package io.hooksync.management;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import io.hooksync.infra.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies the {@link LoginThrottle} to every way of logging in: the login form ({@code POST /login}),
 * HTTP Basic and Bearer tokens. A locked user or address gets 429 problem+json with {@code Retry-After}
 * before its credentials are checked, so guessing goes no faster with a right guess among the wrong
 * ones. An attempt failed when the form redirects to {@code /login?error} or a credential gets 401.
 */
final class LoginThrottleFilter extends OncePerRequestFilter {

    private enum Kind { FORM, BASIC, BEARER }

    private record Attempt(Kind kind, String user) {
    }

    private final LoginThrottle throttle;

    LoginThrottleFilter(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Attempt attempt = attempt(request);
        if (attempt == null) {
            chain.doFilter(request, response);
            return;
        }
        String address = request.getRemoteAddr();
        Optional<Duration> locked = throttle.lockedFor(attempt.user(), address);
        if (locked.isPresent()) {
            long seconds = Math.max(1, (locked.get().toMillis() + 999) / 1000);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            ProblemResponses.write(response, 429, "login-throttled", "Too many failed logins",
                    "too many failed logins for this user or from this address: try again in " + seconds + " s");
            return;
        }
        chain.doFilter(request, response);
        if (failed(attempt, response)) {
            throttle.failed(attempt.user(), address);
        }
    }

    private static Attempt attempt(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return new Attempt(Kind.BASIC, basicUser(authorization.substring(6).trim()));
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Attempt(Kind.BEARER, null);
        }
        if ("POST".equalsIgnoreCase(request.getMethod()) && BrowserRequests.path(request).equals("/login")) {
            return new Attempt(Kind.FORM, request.getParameter("username"));
        }
        return null;
    }

    private static String basicUser(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;   // not Base64: Spring Security answers 401, counted for the address
        }
    }

    private static boolean failed(Attempt attempt, HttpServletResponse response) {
        if (attempt.kind() == Kind.FORM) {
            String location = response.getHeader(HttpHeaders.LOCATION);
            return location != null && location.contains("/login?error");
        }
        return response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED;
    }
}
