package io.hooksync.management;

import java.io.IOException;
import java.util.Map;

import io.hooksync.infra.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * The management plane's 401, as RFC 9457 problem+json like its other refusals (instead of Spring's error page):
 * the detail says which credentials work and, on a path outside the API and the actuator (a mistyped webhook URL,
 * say), where webhooks are received. With {@code challenge}, also {@code WWW-Authenticate: Basic}, which only
 * scripts get ({@link BrowserRequests}). A browser navigation is redirected to the login form instead.
 */
final class Unauthorized implements AuthenticationEntryPoint {

    static final String CHALLENGE = "Basic realm=\"hooksync\"";

    private final boolean challenge;
    private final String ingressPath;

    private Unauthorized(boolean challenge, String ingressPath) {
        this.challenge = challenge;
        this.ingressPath = ingressPath;
    }

    /** With {@code WWW-Authenticate: Basic realm="hooksync"}: for the API, the actuator and requests with credentials. */
    static Unauthorized withChallenge(String ingressPath) {
        return new Unauthorized(true, ingressPath);
    }

    /** Without a challenge, so that a browser never shows its Basic dialog (nor caches what is typed in it). */
    static Unauthorized withoutChallenge(String ingressPath) {
        return new Unauthorized(false, ingressPath);
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (challenge) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        }
        boolean rejected = failure != null && !(failure instanceof InsufficientAuthenticationException);
        ProblemResponses.write(response, HttpServletResponse.SC_UNAUTHORIZED, "unauthorized", "Unauthorized",
                detail(BrowserRequests.path(request), rejected, ingressPath),
                Map.of("instance", ProblemResponses.echoable(request.getRequestURI())));
    }

    /** What is needed; {@code rejected} when credentials were sent and refused rather than missing. */
    static String detail(String path, boolean rejected, String ingressPath) {
        String detail = (rejected ? "the credentials were not accepted; this" : "this")
                + " needs an API token (Authorization: Bearer <token>) or the admin user's HTTP Basic credentials"
                + " (a browser logs in at /login)";
        boolean managementApi = path.equals("/api") || path.startsWith("/api/") || path.startsWith("/actuator");
        return managementApi ? detail : detail + "; webhooks are received at POST " + ingressPath + "/{source}";
    }
}
