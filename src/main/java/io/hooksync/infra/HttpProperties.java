package io.hooksync.infra;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code hooksync.http.*}: bounds for requests outside the ingress (API, dashboard, Hawtio, actuator).
 *
 * @param maxBody request bodies outside the ingress (API, dashboard, Hawtio); larger get 413; 1KB..512MB
 */
@ConfigurationProperties("hooksync.http")
public record HttpProperties(@DefaultValue("1MB") DataSize maxBody) {

    public HttpProperties {
        SettingBounds.between("hooksync.http.max-body", maxBody, DataSize.ofKilobytes(1), DataSize.ofMegabytes(512),
                "larger request bodies get 413");
    }
}
