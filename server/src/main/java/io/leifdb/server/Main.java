package io.leifdb.server;

import io.leifdb.server.config.Config;
import io.leifdb.server.config.AuthSettings;
import io.leifdb.server.config.ConfigException;
import io.leifdb.server.config.Logging;
import io.leifdb.server.node.Node;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;

/**
 * Starts a node configured by the LEIFDB_* environment variables. Any start-up problem ends the
 * process with one line on stderr and a non-zero status, never a stack trace.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && !args[0].equals("node")) {
            System.exit(Cli.run(args));
        }
        Config config;
        AuthSettings auth;
        try {
            config = Config.load();
            auth = AuthSettings.fromEnv(System.getenv());
        } catch (ConfigException e) {
            System.err.println("leifdb: " + e.getMessage());
            System.exit(2);
            return;
        }
        Logging.apply(config.logLevel());
        config.warnings().forEach(w -> LoggerFactory.getLogger(Main.class).warn(w));
        Node node = new Node(config, auth);
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            node.start();
        } catch (Exception | Error e) {
            System.err.println("leifdb: cannot start: " + describe(e));
            node.close();
            System.exit(1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) t = t.getCause();
        String msg = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        if (t instanceof java.net.BindException || msg.contains("Address already in use")) {
            return "a port is already in use (" + msg + ")";
        }
        return msg;
    }
}
