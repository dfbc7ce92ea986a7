package io.hooksync.management;

import java.time.Clock;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.hooksync.infra.InfraProperties;
import io.hooksync.infra.ProblemResponses;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;

/**
 * Who may use the management plane (dashboard, {@code /api}, Hawtio, Jolokia, actuator beyond health).
 * <ul>
 *   <li>People log in with a form (the admin user); the session cookie ({@code SameSite=Strict},
 *       {@code HttpOnly}, {@code Secure} over TLS) is protected by CSRF tokens ({@code XSRF-TOKEN} cookie
 *       echoed as {@code X-XSRF-TOKEN}, which Hawtio also does).</li>
 *   <li>Scripts send {@code Bearer} API tokens: stateless, no session, and the only credential exempt from
 *       the CSRF check (a browser never adds one on its own). HTTP Basic (admin) works too, but a browser
 *       caches and replays Basic credentials, so a change made with Basic needs the CSRF token as well.</li>
 *   <li>A request a browser marks as coming from another site is refused for every unsafe method, and for
 *       any method on Jolokia ({@link SameOriginFilter}); failed logins are throttled per user and address
 *       ({@link LoginThrottleFilter}); a browser never gets the Basic challenge ({@link BrowserRequests}).
 *       A 401 is problem+json ({@link Unauthorized}); only a browser navigation is redirected to the login form.</li>
 *   <li>Read-only tokens may only read: any other method, and Jolokia/Hawtio (which can invoke MBean
 *       operations), need the admin role.</li>
 *   <li>Webhook ingress bypasses the filters (signatures authenticate it).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class ManagementSecurity {

    private static final Logger log = LoggerFactory.getLogger(ManagementSecurity.class);
    private static final String ADMIN = "ADMIN";

    @Bean
    SecurityFilterChain managementFilterChain(HttpSecurity http, ApiTokens tokens, LoginThrottle throttle,
                                              Environment environment) throws Exception {
        String ingressPath = Binder.get(environment).bind("hooksync.ingress.path", String.class).orElse("/webhooks");
        Unauthorized challenge = Unauthorized.withChallenge(ingressPath);
        Unauthorized quiet = Unauthorized.withoutChallenge(ingressPath);
        HttpSessionRequestCache pagesOnly = new HttpSessionRequestCache();   // only what is redirected to the login
        pagesOnly.setRequestMatcher(new AndRequestMatcher(BrowserRequests.NAVIGATION,
                new NegatedRequestMatcher(BrowserRequests.API_CLIENT)));
        return http
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error", "/login",
                                "/default-ui.css", "/favicon.ico").permitAll()
                        .requestMatchers("/actuator/jolokia/**", "/actuator/hawtio/**").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.GET, "/**").authenticated()
                        .requestMatchers(HttpMethod.HEAD, "/**").authenticated()
                        .anyRequest().hasRole(ADMIN))
                .requestCache(cache -> cache.requestCache(pagesOnly))
                .formLogin(form -> form.defaultSuccessUrl("/", false))
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .httpBasic(basic -> basic.authenticationEntryPoint(challenge))
                .addFilterBefore(new SameOriginFilter(), CsrfFilter.class)
                .addFilterBefore(new LoginThrottleFilter(throttle), LogoutFilter.class)
                .addFilterBefore(new BearerTokenFilter(tokens, challenge), BasicAuthenticationFilter.class)
                .exceptionHandling(e -> e
                        .accessDeniedHandler(ManagementSecurity::denied)
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
                                BrowserRequests.NAVIGATION)
                        .defaultAuthenticationEntryPointFor(quiet, BrowserRequests.BROWSER)
                        .defaultAuthenticationEntryPointFor(challenge, BrowserRequests.API_CLIENT)
                        // curl or a sender on a page path (a mistyped webhook URL): 401, no redirect, no dialog
                        .defaultAuthenticationEntryPointFor(quiet, AnyRequestMatcher.INSTANCE))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .csrf(csrf -> csrf
                        .csrfTokenRepository(csrfCookie())
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .requireCsrfProtectionMatcher(ManagementSecurity::needsCsrfToken))
                .addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class)
                .headers(SecurityHeaders::configure)
                .build();
    }

    /** A 403 that says why: the CSRF token a change with ambient credentials needs, or the role it needs. */
    static void denied(HttpServletRequest request, HttpServletResponse response,
                       org.springframework.security.access.AccessDeniedException denied) throws java.io.IOException {
        if (denied instanceof org.springframework.security.web.csrf.CsrfException) {
            ProblemResponses.write(response, HttpServletResponse.SC_FORBIDDEN, "csrf-token",
                    "CSRF token missing or wrong", "a change made with Basic credentials or a session needs the"
                            + " X-XSRF-TOKEN header echoing the XSRF-TOKEN cookie (the dashboard sends it); scripts"
                            + " use an API token: Authorization: Bearer <token>");
        } else {
            ProblemResponses.write(response, HttpServletResponse.SC_FORBIDDEN, "forbidden", "Forbidden",
                    "this needs the admin role; your credentials have the read role");
        }
    }

    /** Readable by the dashboard's script (it echoes the token), sent only to this site, Secure over TLS. */
    private static CookieCsrfTokenRepository csrfCookie() {
        CookieCsrfTokenRepository repository = CookieCsrfTokenRepository.withHttpOnlyFalse();
        repository.setCookieCustomizer(cookie -> cookie.sameSite("Strict"));
        return repository;
    }

    /**
     * A change needs the token unless it carries a Bearer token (which no browser sends by itself; a
     * wrong one is answered 401 by {@link BearerTokenFilter}). Sessions and Basic credentials are both
     * ambient in a browser. A request with no credential at all, and no session, has nothing to abuse:
     * it is exempt so that it is answered 401 (who are you?) instead of 403; the login form is not.
     */
    static boolean needsCsrfToken(HttpServletRequest request) {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") || method.equals("TRACE")) {
            return false;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        String path = BrowserRequests.path(request);
        return authorization != null || request.getRequestedSessionId() != null
                || path.equals("/login") || path.equals("/logout");
    }

    @Bean
    LoginThrottle loginThrottle(ManagementProperties properties) {
        return new LoginThrottle(properties.loginThrottle(), Clock.systemUTC());
    }

    @Bean
    ApiTokens apiTokens(ManagementProperties properties, Environment environment) {
        ApiTokens tokens = ApiTokens.resolve(properties.tokens(), environment);
        if (tokens.size() > 0) {
            log.info("Management API: {} API token(s) configured: {}", tokens.size(), properties.tokens().keySet());
        }
        return tokens;
    }

    @Bean
    UserDetailsService adminUser(ManagementProperties properties, InfraProperties infra) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        String password = AdminUser.password(properties.adminUser(), properties.adminPassword(), infra.mode());
        return new InMemoryUserDetailsManager(User.withUsername(properties.adminUser())
                .password(encoder.encode(password)).roles(ADMIN).build());
    }
}
