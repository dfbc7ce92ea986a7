package io.hooksync.ingress;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Wires the body-limit filter in front of the ingress path. */
@Configuration(proxyBeanMethods = false)
class IngressConfiguration {

    @Bean
    FilterRegistrationBean<BodyLimitFilter> ingressBodyLimitFilter(SourceRegistry sources, IngressMetrics metrics,
                                                                   IngressProperties properties) {
        String path = properties.ingress().path();
        FilterRegistrationBean<BodyLimitFilter> registration =
                new FilterRegistrationBean<>(new BodyLimitFilter(sources, metrics, path));
        registration.addUrlPatterns(path + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
