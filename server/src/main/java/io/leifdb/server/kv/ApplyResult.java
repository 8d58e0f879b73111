package io.leifdb.server.kv;

import java.util.List;
import java.util.Optional;

/**
 * What one {@link KvStore#apply} call did: the applied index and term after it, and one
 * {@link Outcome} per NORMAL entry it applied (NOOP and CONFIG entries have none, and entries at
 * or below the previous applied index are skipped without one).
 */
public record ApplyResult(long appliedIndex, long appliedTerm, List<Outcome> outcomes) {
    public ApplyResult {
        outcomes = List.copyOf(outcomes);
    }

    /** The outcome of the entry at {@code index}, if this call applied a NORMAL entry there. */
    public Optional<Outcome> outcome(long index) {
        for (Outcome o : outcomes) {
            if (o.index() == index) return Optional.of(o);
        }
        return Optional.empty();
    }

    /** The result of one client command. */
    public sealed interface Outcome permits Applied, PreconditionFailed, Rejected, Refused, TxnApplied {
        long index();
    }

    /** The command took effect; {@code revision} is its log index, now the key's modify revision. */
    public record Applied(long index, long revision) implements Outcome {
    }

    /** A transaction ran; {@code result} says which branch and what each of its operations did. */
    public record TxnApplied(long index, TxnResult result) implements Outcome {
    }

    /**
     * The precondition did not hold, so nothing changed; {@code currentRevision} is the key's
     * modify revision then (0 if absent).
     */
    public record PreconditionFailed(long index, long currentRevision) implements Outcome {
    }

    /**
     * The entry's data was not a command this version can decode. It is skipped on every replica
     * alike, because wedging the apply loop on one bad entry would stop the whole cluster.
     */
    public record Rejected(long index, String reason) implements Outcome {
    }

    /** An auth command the state refused (a duplicate user, an unknown role): nothing changed; {@code code} names why. */
    public record Refused(long index, String code, String reason) implements Outcome {
    }
}
