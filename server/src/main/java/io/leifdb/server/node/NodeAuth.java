package io.leifdb.server.node;

import io.leifdb.server.auth.AuthCommand;
import io.leifdb.server.auth.AuthRefusedException;
import io.leifdb.server.auth.AuthState;
import io.leifdb.server.config.AuthSettings;
import io.leifdb.server.http.AuthBackend;
import io.leifdb.server.kv.ApplyResult;
import io.leifdb.server.kv.KvStore;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users and roles for the HTTP API: read from the applied state, changed through the log like key
 * writes. With LEIFDB_AUTH=on, whichever member leads while auth is still off proposes the bootstrap.
 */
final class NodeAuth implements AuthBackend, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeAuth.class);
    private static final long BOOTSTRAP_CHECK_MS = 300;

    private final DriverLoop driver;
    private final StatusBoard board;
    private final KvStore kv;
    private final AuthSettings settings;
    private final ScheduledExecutorService bootstrap;
    private volatile CompletableFuture<Void> proposing = CompletableFuture.completedFuture(null);

    NodeAuth(DriverLoop driver, StatusBoard board, KvStore kv, AuthSettings settings) {
        this.driver = driver;
        this.board = board;
        this.kv = kv;
        this.settings = settings;
        this.bootstrap = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("auth-bootstrap").unstarted(r));
        if (settings.on()) bootstrap.scheduleWithFixedDelay(this::bootstrapOnce, 0, BOOTSTRAP_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public AuthState state() {
        return kv.auth();
    }

    @Override
    public boolean required() {
        return settings.on() || kv.auth().enabled();
    }

    @Override
    public CompletableFuture<Void> propose(AuthCommand c) {
        if (!board.isLeader()) return CompletableFuture.failedFuture(board.notLeader());
        CompletableFuture<ApplyResult.Outcome> applied = new CompletableFuture<>();
        driver.post(new DriverEvent.Propose(c.encode(), applied));
        return applied.thenApply(o -> switch (o) {
            case ApplyResult.Applied a -> null;
            case ApplyResult.Refused r -> throw new AuthRefusedException(r.code(), r.reason());
            case ApplyResult.Rejected r -> throw new IllegalStateException("rejected: " + r.reason());
            case ApplyResult.PreconditionFailed f -> throw new IllegalStateException("auth commands have no precondition");
            case ApplyResult.TxnApplied t -> throw new IllegalStateException("an auth command applied as a transaction");
        });
    }

    /** One proposal at a time; repeats are harmless, since a bootstrap after auth is on changes nothing. */
    private void bootstrapOnce() {
        if (kv.auth().enabled()) {
            bootstrap.shutdown();
            return;
        }
        if (!board.isLeader() || !proposing.isDone()) return;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String hash = settings.rootHash().orElseThrow();
        proposing = propose(new AuthCommand.Bootstrap(hash, secret))
                .orTimeout(5, TimeUnit.SECONDS)
                .whenComplete((v, e) -> {
                    if (e == null) log.info("auth enabled: root user and token secret committed");
                    else log.debug("auth bootstrap not committed yet: {}", e.toString());
                });
    }

    @Override
    public void close() {
        bootstrap.shutdownNow();
    }
}
