package io.hooksync.infra;

import org.springframework.context.annotation.Configuration;

/**
 * Applies {@code hooksync.background-nice} before any background thread starts (they all start with the context's
 * lifecycle, after every singleton exists).
 */
@Configuration(proxyBeanMethods = false)
class BackgroundPriorityConfiguration {

    BackgroundPriorityConfiguration(InfraProperties properties) {
        BackgroundPriority.configure(properties.backgroundNice());
    }
}
