package io.leifdb.server.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;

/**
 * Everything the server logs while open: ours through logback (with {@code debugOf} lowered to DEBUG)
 * and Helidon's through java.util.logging, so a test can say that a client's misdeed left no warning
 * and no stack trace.
 */
final class ServerLog implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger debugged;
    private final Level debuggedWas;
    private final ListAppender<ILoggingEvent> ours = new ListAppender<>();
    private final java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
    private final List<LogRecord> helidon = new CopyOnWriteArrayList<>();
    private final Handler julHandler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            helidon.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    ServerLog(Class<?> debugOf) {
        debugged = (Logger) LoggerFactory.getLogger(debugOf);
        debuggedWas = debugged.getLevel();
        debugged.setLevel(Level.DEBUG);
        ours.start();
        root.addAppender(ours);
        julRoot.addHandler(julHandler);
    }

    /** Our lines at DEBUG from {@code debugOf} that contain {@code text}. */
    long debugLines(String text) {
        return List.copyOf(ours.list).stream()
                .filter(e -> e.getLevel() == Level.DEBUG && e.getFormattedMessage().contains(text)).count();
    }

    /** Every line at WARN or above, or with a stack trace, from us or from Helidon. */
    List<String> complaints() {
        List<String> ourComplaints = List.copyOf(ours.list).stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null)
                .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()).toList();
        List<String> helidonComplaints = helidon.stream()
                .filter(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()
                        || r.getThrown() != null)
                .map(r -> r.getLevel() + " " + r.getLoggerName() + " " + r.getMessage() + " " + r.getThrown())
                .toList();
        return java.util.stream.Stream.concat(ourComplaints.stream(), helidonComplaints.stream()).toList();
    }

    @Override
    public void close() {
        julRoot.removeHandler(julHandler);
        root.detachAppender(ours);
        ours.stop();
        debugged.setLevel(debuggedWas);
    }
}
