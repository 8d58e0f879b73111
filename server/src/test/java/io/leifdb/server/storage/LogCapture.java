package io.leifdb.server.storage;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects what one class logs at WARN or above while open, so a test can say whether it warned. */
final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        appender.start();
        logger.addAppender(appender);
    }

    /** Undoes {@link #silence}. */
    interface Silenced extends AutoCloseable {
        @Override
        void close();
    }

    /** Logs of {@code source} below ERROR are dropped until closed: for tests that recover thousands of times. */
    static Silenced silence(Class<?> source) {
        Logger target = (Logger) LoggerFactory.getLogger(source);
        Level before = target.getLevel();
        target.setLevel(Level.ERROR);
        return () -> target.setLevel(before);
    }

    List<String> warnings() {
        return appender.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
