package io.leifdb.server.http;

import io.leifdb.server.auth.AuthCommand;
import io.leifdb.server.auth.AuthRefusedException;
import io.leifdb.server.auth.AuthState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/** Users and roles without a log: each command applies at once, through the same {@link AuthState#apply} a node uses. */
final class InMemoryAuth implements AuthBackend {
    private final AtomicReference<AuthState> state = new AtomicReference<>(AuthState.EMPTY);

    @Override
    public AuthState state() {
        return state.get();
    }

    @Override
    public boolean required() {
        return state.get().enabled();
    }

    @Override
    public synchronized CompletableFuture<Void> propose(AuthCommand c) {
        try {
            state.set(state.get().apply(c));
            return CompletableFuture.completedFuture(null);
        } catch (AuthRefusedException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }
}
