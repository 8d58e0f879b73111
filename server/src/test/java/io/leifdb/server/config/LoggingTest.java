package io.leifdb.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingTest {
    private final LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();

    @AfterEach
    void restore() {
        Logging.apply(LogLevel.INFO);
    }

    @Test
    void levelReachesTheRootLoggerAndLibrariesStayAtWarn() {
        Logging.apply(LogLevel.TRACE);
        assertThat(ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.TRACE);
        assertThat(ctx.getLogger("io.grpc").getLevel()).isEqualTo(Level.WARN);
        assertThat(java.util.logging.Logger.getLogger("io.helidon").getLevel())
                .isEqualTo(java.util.logging.Level.WARNING);
    }

    @Test
    void panicAndFatalBecomeError() {
        Logging.apply(LogLevel.PANIC);
        assertThat(ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.ERROR);
        assertThat(ctx.getLogger("io.netty").getLevel()).isEqualTo(Level.ERROR);
        Logging.apply(LogLevel.FATAL);
        assertThat(ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.ERROR);
    }

    @Test
    void shippedConfigurationIsQuietForNoisyLibraries() {
        assertThat(getClass().getClassLoader().getResource("logback.xml")).isNotNull();
        Logging.apply(LogLevel.INFO);
        assertThat(ctx.getLogger("io.helidon").getLevel()).isEqualTo(Level.WARN);
        assertThat(ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    }
}
