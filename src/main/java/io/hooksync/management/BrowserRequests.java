package io.hooksync.management;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Tells browsers from API clients, to choose how an unauthenticated request is answered. A browser
 * must never see {@code WWW-Authenticate: Basic}: it would show its own login dialog and then replay
 * the credentials to every later request, including ones a hostile site makes it send.
 */
final class BrowserRequests {

    private BrowserRequests() {
    }

    /**
     * A page load: {@code Sec-Fetch-Mode: navigate}, or (older browsers) an {@code Accept} naming HTML. Only these are
     * redirected to the login form; curl's {@code Accept: *}{@code /*} or a sender's {@code application/json} is not.
     */
    static final RequestMatcher NAVIGATION = request -> {
        String mode = request.getHeader("Sec-Fetch-Mode");
        if (mode != null) {
            return mode.equalsIgnoreCase("navigate");
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");   // media types ignore case
    };

    /** Any request a current browser makes (fetch, XHR, images): they all carry Sec-Fetch-Mode. */
    static final RequestMatcher BROWSER = request -> request.getHeader("Sec-Fetch-Mode") != null;

    /** Scripts and monitoring: the API, the actuator (not Hawtio's pages), or anything sending credentials. */
    static final RequestMatcher API_CLIENT = request -> {
        String path = path(request);
        return path.startsWith("/api/") || path.equals("/api")
                || (path.startsWith("/actuator") && !path.startsWith("/actuator/hawtio"))
                || request.getHeader(HttpHeaders.AUTHORIZATION) != null;
    };

    static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
