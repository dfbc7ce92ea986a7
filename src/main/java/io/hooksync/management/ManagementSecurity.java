package io.hooksync.management;

import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Authentication for everything but webhook ingress and health: HTTP Basic with the admin user.
 * The password comes from {@code HOOKSYNC_ADMIN_PASSWORD}; when it is not set, one is generated and
 * printed once at startup (embedded mode convenience; set it in any shared deployment).
 */
@Configuration(proxyBeanMethods = false)
class ManagementSecurity {

    private static final Logger log = LoggerFactory.getLogger(ManagementSecurity.class);

    @Bean
    SecurityFilterChain managementFilterChain(HttpSecurity http, @Value("${hooksync.ingress.path:/webhooks}") String ingress)
            throws Exception {
        return http
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(ingress + "/**", "/actuator/health", "/actuator/health/**", "/error").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                // ingress is verified by signatures; the API is called with credentials, not cookies
                .csrf(csrf -> csrf.ignoringRequestMatchers(ingress + "/**", "/api/**"))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
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
    UserDetailsService adminUser(@Value("${hooksync.management.admin-user:admin}") String user,
                                 @Value("${hooksync.management.admin-password:}") String password) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        String effective = password;
        if (effective == null || effective.isBlank()) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            effective = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            log.warn("""

                    No HOOKSYNC_ADMIN_PASSWORD set: generated a password for this run.
                      API, actuator and (later) dashboard login:  {} / {}
                    Set HOOKSYNC_ADMIN_PASSWORD to choose one.""", user, effective);
        }
        return new InMemoryUserDetailsManager(User.withUsername(user).password(encoder.encode(effective))
                .roles("ADMIN").build());
    }
}
