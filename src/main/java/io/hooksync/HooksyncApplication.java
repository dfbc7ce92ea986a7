package io.hooksync;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** Hooksync: verified webhooks to Kafka, declarative mappings to the database, chained outbound webhooks. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HooksyncApplication {

    public static void main(String[] args) {
        SpringApplication.run(HooksyncApplication.class, args);
    }

    /** The one clock every policy asks for the time, so tests can fix it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
