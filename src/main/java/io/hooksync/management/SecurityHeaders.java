package io.hooksync.management;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Response headers of every management page and API answer: a Content-Security-Policy that allows only
 * this origin's own files (no inline script or style: the dashboard needs none), {@code Referrer-Policy:
 * same-origin}, {@code X-Content-Type-Options: nosniff} and framing by this origin only. Hawtio (a React
 * application with inline styles) sends its own policy on {@code /actuator/hawtio/**}; Swagger UI
 * injects style elements, so its pages may use inline styles, never inline script.
 */
final class SecurityHeaders {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'self'";
    static final String SWAGGER_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

    private SecurityHeaders() {
    }

    static void configure(HeadersConfigurer<HttpSecurity> headers) {
        RequestMatcher hawtio = request -> BrowserRequests.path(request).startsWith("/actuator/hawtio");
        RequestMatcher swagger = request -> BrowserRequests.path(request).startsWith("/swagger-ui");
        RequestMatcher strict = request -> !hawtio.matches(request) && !swagger.matches(request);
        headers.contentTypeOptions(nosniff -> { })
                .frameOptions(frame -> frame.sameOrigin())
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
                .addHeaderWriter(policy(strict, POLICY))
                .addHeaderWriter(policy(swagger, SWAGGER_POLICY));
    }

    private static HeaderWriter policy(RequestMatcher where, String policy) {
        return new DelegatingRequestMatcherHeaderWriter(where, new StaticHeadersWriter("Content-Security-Policy", policy));
    }
}
