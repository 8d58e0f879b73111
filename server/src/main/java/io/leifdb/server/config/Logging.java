package io.leifdb.server.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/** Applies LEIFDB_LOG_LEVEL to logback and keeps chatty libraries quiet. */
public final class Logging {
    /** Libraries that log at INFO on every start or connection. */
    static final List<String> NOISY = List.of("io.grpc", "io.netty", "io.helidon");
    /** JUL loggers hold their level only while referenced; Helidon and gRPC log through JUL. */
    private static final List<java.util.logging.Logger> JUL_PINNED =
            NOISY.stream().map(java.util.logging.Logger::getLogger).toList();

    private Logging() {
    }

    public static void apply(LogLevel level) {
        Level root = level.logback();
        Level noisy = root.isGreaterOrEqual(Level.WARN) ? root : Level.WARN;
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(root);
            for (String name : NOISY) {
                ctx.getLogger(name).setLevel(noisy);
            }
        }
        java.util.logging.Level jul = noisy == Level.ERROR ? java.util.logging.Level.SEVERE
                : java.util.logging.Level.WARNING;
        JUL_PINNED.forEach(l -> l.setLevel(jul));
    }
}
