package io.leifdb.server.http;

import java.util.Optional;

/**
 * This node cannot serve the call because it is not the leader. Carries the leader's HTTP address
 * ({@code host:port}) when one is known, so the API can redirect instead of failing.
 */
public final class NotLeaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Optional<String> leaderHttpAddress;

    public NotLeaderException(Optional<String> leaderHttpAddress) {
        super(leaderHttpAddress.map(a -> "not the leader; the leader is at " + a).orElse("no leader is known"),
                null, false, false);
        this.leaderHttpAddress = leaderHttpAddress;
    }

    public Optional<String> leaderHttpAddress() {
        return leaderHttpAddress;
    }
}
