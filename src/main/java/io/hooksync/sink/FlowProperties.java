package io.hooksync.sink;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The files users write and what their routes read: {@code hooksync.routes-dir}, {@code routes-reload},
 * {@code mappings-dir}, {@code templates-dir} and {@code mail.*}. The defaults of the keys that Camel reads through
 * placeholders ({@code camel.main.routes-*}, {@code {{hooksync.mail.host}}} in a route) live in application.yaml,
 * because a placeholder sees the environment, not this record; here they are required. The others have their
 * default here.
 *
 * @param routesDir Camel YAML route files, one flow per file, route id = file stem (default in application.yaml:
 * ./routes)
 * @param routesReload reload a route file when it changes (default in application.yaml: true)
 * @param mappingsDir mapping files; a mapping's name is its path below this directory without .yaml
 * @param templatesDir Mustache templates routes use, e.g. email bodies (default in application.yaml: ./templates)
 * @param mail the SMTP server and addresses email routes use
 */
@Validated
@ConfigurationProperties("hooksync")
record FlowProperties(@NotBlank String routesDir, @NotNull Boolean routesReload,
                      @DefaultValue("./mappings") @NotBlank String mappingsDir, @NotBlank String templatesDir,
                      @Valid @NotNull Mail mail) {

    /**
     * What email routes such as examples/routes/invoice-paid-email.yaml use (defaults in application.yaml).
     *
     * @param host the SMTP server
     * @param port the SMTP port
     * @param from the sender address
     * @param to the recipient of the example's alerts
     */
    record Mail(@NotBlank String host, @NotNull @Min(1) @Max(65535) Integer port, @NotBlank String from,
                @NotBlank String to) {
    }
}
