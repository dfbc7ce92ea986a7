package io.hooksync.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class needs MariaDB 10.11 with a ROW binary log, from the shared container of {@link Containers}: tagged
 * {@code mariadb} and {@code docker} ({@code ./mvnw verify -Dgroups=mariadb}), and not run without a Docker engine
 * ({@link DockerServices}).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("docker")
@Tag("mariadb")
@ExtendWith(DockerServices.class)
public @interface UsesMariaDb {
}
