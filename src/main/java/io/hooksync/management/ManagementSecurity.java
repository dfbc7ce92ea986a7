package io.hooksync.management;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may use the management plane (dashboard, {@code /api}, Hawtio, Jolokia, actuator beyond health).
 * <ul>
 *   <li>People log in with a form (the admin user); the session cookie is protected by CSRF tokens
 *       ({@code XSRF-TOKEN} cookie echoed as {@code X-XSRF-TOKEN}, which Hawtio also does).</li>
 *   <li>Scripts send HTTP Basic (admin) or {@code Bearer} API tokens: stateless, no session, and no
 *       CSRF check, since a browser never adds an {@code Authorization} header on its own.</li>
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
    SecurityFilterChain managementFilterChain(HttpSecurity http, ApiTokens tokens) throws Exception {
        BasicAuthenticationEntryPoint unauthorized = new BasicAuthenticationEntryPoint();
        unauthorized.setRealmName("hooksync");
        unauthorized.afterPropertiesSet();
        AuthenticationEntryPoint login = new LoginUrlAuthenticationEntryPoint("/login");
        RequestMatcher machines = request -> {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            return path.startsWith("/api/") || path.equals("/api")
                    || (path.startsWith("/actuator") && !path.startsWith("/actuator/hawtio"))
                    || request.getHeader("Authorization") != null;
        };
        CsrfTokenRequestAttributeHandler csrfHandler = new CsrfTokenRequestAttributeHandler();
        HttpSessionRequestCache pagesOnly = new HttpSessionRequestCache();   // API calls never create a session
        pagesOnly.setRequestMatcher(new NegatedRequestMatcher(machines));
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
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .addFilterBefore(new BearerTokenFilter(tokens, unauthorized), BasicAuthenticationFilter.class)
                .exceptionHandling(e -> e
                        .defaultAuthenticationEntryPointFor(unauthorized, machines)
                        .defaultAuthenticationEntryPointFor(login, AnyRequestMatcher.INSTANCE))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .csrf(csrf -> csrf
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(csrfHandler)
                        .requireCsrfProtectionMatcher(ManagementSecurity::needsCsrfToken))
                .addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class)
                .headers(headers -> headers.frameOptions(frame -> frame.sameOrigin()))
                .build();
    }

    /**
     * A change made with the session cookie (the only credential a browser adds on its own) needs the
     * token, and so does the login form itself. Requests with an {@code Authorization} header, or
     * without any session, carry no ambient credential to abuse; without this, an anonymous POST would
     * be answered 403 (missing token) instead of 401 (who are you?).
     */
    private static boolean needsCsrfToken(jakarta.servlet.http.HttpServletRequest request) {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") || method.equals("TRACE")) {
            return false;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return request.getHeader("Authorization") == null
                && (request.getRequestedSessionId() != null || path.equals("/login") || path.equals("/logout"));
    }

    /**
     * Webhook ingress bypasses the security filter chain entirely: it is authenticated by signatures,
     * and skipping ~15 filters per request is measurable at thousands of webhooks per second.
     */
    @Bean
    WebSecurityCustomizer ingressBypassesSecurityFilters(@Value("${hooksync.ingress.path:/webhooks}") String ingress) {
        return web -> web.ignoring().requestMatchers(ingress + "/**");
    }

    @Bean
    RuntimeMode runtimeMode(@Value("${hooksync.mode:embedded}") String mode) {
        return RuntimeMode.parse(mode);
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
    UserDetailsService adminUser(ManagementProperties properties, RuntimeMode mode) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        String password = AdminUser.password(properties.adminUser(), properties.adminPassword(), mode);
        return new InMemoryUserDetailsManager(User.withUsername(properties.adminUser())
                .password(encoder.encode(password)).roles(ADMIN).build());
    }
}
