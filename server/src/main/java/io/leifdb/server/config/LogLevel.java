package io.leifdb.server.config;

import ch.qos.logback.classic.Level;

/** LEIFDB_LOG_LEVEL, with the original's names; logback has no panic or fatal, so both become ERROR. */
public enum LogLevel {
    PANIC(Level.ERROR), FATAL(Level.ERROR), ERROR(Level.ERROR), WARN(Level.WARN), INFO(Level.INFO),
    DEBUG(Level.DEBUG), TRACE(Level.TRACE);

    private final Level logback;

    LogLevel(Level logback) {
        this.logback = logback;
    }

    public Level logback() {
        return logback;
    }
}
