package io.hooksync.infra;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code hooksync.http.*}: bounds for requests outside the ingress (API, dashboard, Hawtio, actuator).
 *
 * @param maxBody request bodies outside the ingress (API, dashboard, Hawtio); larger get 413
 */
@ConfigurationProperties("hooksync.http")
public record HttpProperties(@DefaultValue("1MB") DataSize maxBody) {
}
