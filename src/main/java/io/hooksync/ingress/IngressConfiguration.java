package io.hooksync.ingress;

import io.hooksync.infra.InfraProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Puts the ingress filter in front of everything under the ingress path, before the security chain. */
@Configuration(proxyBeanMethods = false)
class IngressConfiguration {

    @Bean
    FilterRegistrationBean<IngressFilter> ingressFilter(SourceRegistry sources, IngressPipeline pipeline,
                                                        IngressAnswers answers, IngressProperties properties,
                                                        InfraProperties infra) {
        String path = properties.ingress().path();
        FilterRegistrationBean<IngressFilter> registration = new FilterRegistrationBean<>(
                new IngressFilter(sources, pipeline, answers, properties, infra.kafka().ackTimeout()));
        registration.addUrlPatterns(path, path + "/*");
        registration.setAsyncSupported(true);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * Webhook ingress bypasses Spring Security's filter chain entirely: it is authenticated by signatures (the
     * ingress filter answers every request under the path and never calls the chain), and skipping ~15 filters per
     * request is measurable at thousands of webhooks per second.
     */
    @Bean
    WebSecurityCustomizer ingressBypassesSecurityFilters(IngressProperties properties) {
        String path = properties.ingress().path();
        return web -> web.ignoring().requestMatchers(path + "/**");
    }
}
