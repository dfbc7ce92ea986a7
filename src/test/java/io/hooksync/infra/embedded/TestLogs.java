package io.hooksync.infra.embedded;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Logback levels for tests that run without Spring Boot's logging setup (logback defaults to DEBUG). */
public final class TestLogs {

    private TestLogs() {
    }

    /** Root at WARN, Hooksync at INFO, so Kafka's and PostgreSQL's chatter stays out of the build log. */
    public static void quiet() {
        logger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        logger("io.hooksync").setLevel(Level.INFO);
    }

    /** Collects the events of one class's logger until {@link #release} is called. */
    public static ListAppender<ILoggingEvent> capture(Class<?> type) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger(type.getName()).addAppender(appender);
        return appender;
    }

    /** Stops collecting events for {@code type}. */
    public static void release(Class<?> type, ListAppender<ILoggingEvent> appender) {
        logger(type.getName()).detachAppender(appender);
        appender.stop();
    }

    private static Logger logger(String name) {
        return (Logger) LoggerFactory.getLogger(name);
    }
}
