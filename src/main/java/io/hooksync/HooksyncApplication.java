package io.hooksync;

import java.time.Clock;

import io.hooksync.sink.ValidateCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** Hooksync: verified webhooks to Kafka, declarative mappings to the database, chained outbound webhooks. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HooksyncApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("validate")) {     // check route and mapping files, no engine
            System.exit(ValidateCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out));
        }
        SpringApplication.run(HooksyncApplication.class, args);
    }

    /** The one clock every policy asks for the time, so tests can fix it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
