package io.leifdb.server.kv;

import io.leifdb.raft.Entry;
import io.leifdb.server.auth.AuthCommand;
import io.leifdb.server.auth.AuthRefusedException;
import io.leifdb.server.auth.AuthState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies one auth entry to the replicated auth state; a refusal changes nothing, on every replica alike. */
final class AuthApply {
    private static final Logger log = LoggerFactory.getLogger(AuthApply.class);

    private AuthApply() {
    }

    record Result(AuthState state, ApplyResult.Outcome outcome) {
    }

    static Result apply(AuthState before, Entry e) {
        AuthCommand c;
        try {
            c = AuthCommand.decode(e.data());
        } catch (IllegalArgumentException bad) {
            log.warn("skipping undecodable auth entry {}: {}", e.index(), bad.getMessage());
            return new Result(before, new ApplyResult.Rejected(e.index(), bad.getMessage()));
        }
        try {
            AuthState after = before.apply(c);
            log.info("auth: {} (entry {})", AuthCommand.describe(c), e.index());
            return new Result(after, new ApplyResult.Applied(e.index(), e.index()));
        } catch (AuthRefusedException refused) {
            return new Result(before, new ApplyResult.Refused(e.index(), refused.code, refused.getMessage()));
        }
    }
}
