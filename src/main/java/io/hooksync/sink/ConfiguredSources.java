package io.hooksync.sink;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

/**
 * The sources a route's {@code hooksync:events?source=} may name: every webhook source declared under
 * {@code hooksync.sources} and every CDC source under {@code hooksync.cdc.sources}, enabled or not (a disabled source's
 * routes may still drain its topic, and the shipped CDC route names a source that is off by default). Read from the
 * configuration, not from the ingress or CDC beans, so {@code validate} knows them without starting anything.
 *
 * @param names the declared source names
 * @param property a configuration value by key, or null (resolves a route's {@code autoStartup} placeholder)
 */
record ConfiguredSources(Set<String> names, UnaryOperator<String> property) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^:{}]+)(?::([^{}]*))?}}");

    ConfiguredSources {
        names = Collections.unmodifiableSortedSet(new TreeSet<>(names));
    }

    /** The sources of the running engine's configuration. */
    static ConfiguredSources of(Environment environment) {
        Binder binder = Binder.get(environment);
        Set<String> names = new TreeSet<>();
        for (String prefix : new String[] {"hooksync.sources", "hooksync.cdc.sources"}) {
            names.addAll(binder.bind(prefix, Bindable.mapOf(String.class, Object.class)).orElse(Map.of()).keySet());
        }
        return new ConfiguredSources(names, environment::getProperty);
    }

    /**
     * The sources of the configuration the engine would read in this directory and environment (application.yaml
     * on the classpath, {@code ./application.yaml}, {@code ./config/}, {@code .env}, environment variables, what
     * {@code SPRING_CONFIG_ADDITIONAL_LOCATION} and {@code SPRING_PROFILES_ACTIVE} name), without starting Spring.
     */
    static ConfiguredSources offline() {
        StandardEnvironment environment = new StandardEnvironment();
        ConfigDataEnvironmentPostProcessor.applyTo(environment);
        ConfigurationPropertySources.attach(environment);
        return of(environment);
    }

    /**
     * Whether a route with this {@code autoStartup} value starts on its own: unless it is {@code false}, or a
     * {@code {{key:default}}} placeholder that resolves to {@code false}. A route that does not start consumes
     * nothing, so it may name a source that is not configured (the shipped CDC examples start only when their source
     * is enabled).
     */
    boolean autoStarts(String autoStartup) {
        if (autoStartup == null) {
            return true;
        }
        String value = autoStartup.strip();
        Matcher placeholder = PLACEHOLDER.matcher(value);
        if (placeholder.matches() && (placeholder.group(2) == null || !placeholder.group(2).contains(":"))) {
            String configured = property.apply(placeholder.group(1).strip());
            value = configured != null ? configured : placeholder.group(2) == null ? "" : placeholder.group(2);
        } else if (value.contains("{{")) {
            return false;       // a value only Camel resolves ({{env:NAME}}, several placeholders): the benefit of the doubt
        }
        return !value.strip().equalsIgnoreCase("false");
    }
}
