package io.leifdb.server.http;

import io.leifdb.server.auth.AuthCommand;
import io.leifdb.server.auth.AuthState;
import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP API needs for users and roles. Contract: {@link #state()} never blocks; {@link #propose}
 * returns at once and its future completes after the command committed and applied, or fails with
 * {@link NotLeaderException} (redirect), {@link io.leifdb.server.auth.AuthRefusedException} (a 4xx) or
 * anything else (outcome unknown, 503).
 */
public interface AuthBackend {
    /** Auth is off and cannot be changed: for backends without a log (tests of the key API). */
    AuthBackend NONE = new AuthBackend() {
        @Override
        public AuthState state() {
            return AuthState.EMPTY;
        }

        @Override
        public boolean required() {
            return false;
        }

        @Override
        public CompletableFuture<Void> propose(AuthCommand c) {
            return CompletableFuture.failedFuture(ApiError.unavailable("this node keeps no users"));
        }
    };

    /** Users, roles and the switch as this member last applied them. */
    AuthState state();

    /** Whether requests must authenticate: LEIFDB_AUTH=on here, or auth enabled through the log. */
    boolean required();

    CompletableFuture<Void> propose(AuthCommand c);
}
