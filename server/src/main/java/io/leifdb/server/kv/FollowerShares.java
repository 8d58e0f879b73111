package io.leifdb.server.kv;

import io.leifdb.raft.Entry;
import io.leifdb.raft.ErasureCoding;
import io.leifdb.raft.FollowerShare;
import io.leifdb.raft.craft.Fragment;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * CRaft snapshots: turns each value of the leader's state into what one follower holds, as the
 * core's {@link FollowerShare} decides (its own fragment, whole, or the leader's fragment when a
 * rebuild fails). This class maps the store's formats to that decision: a whole value whose write
 * is known (format 3) is the put's entry, {@code Entry(term, modRevision, put)}, or the recode's
 * entry when it was repaired since ({@link Recode}); a fragment held by the leader is rebuilt from
 * k shares ({@link Rebuild}, asynchronous); a value whose write is unknown (format 1) stays whole.
 * Thread-safe: the counters are the only state.
 */
public final class FollowerShares {
    /** Fetches a value whole from the shares of the write (index, term) that {@code own} names. */
    @FunctionalInterface
    public interface Rebuild {
        CompletableFuture<byte[]> value(String key, long revision, CodedValue own);
    }

    private final FollowerShare decision;
    private final Rebuild rebuild;
    private final LongAdder encoded = new LongAdder();
    private final LongAdder rebuilt = new LongAdder();
    private final LongAdder kept = new LongAdder();

    /**
     * @param coding   the cluster's code for the snapshot's voters
     * @param follower the voter the snapshot is for
     * @throws IllegalArgumentException if {@code follower} is not a voter of {@code coding}
     */
    public FollowerShares(ErasureCoding coding, long follower, Rebuild rebuild) {
        this.decision = new FollowerShare(coding, follower);
        this.rebuild = Objects.requireNonNull(rebuild, "rebuild");
    }

    /** The fragment id the follower holds. */
    public int fragmentId() {
        return decision.fragmentId();
    }

    /** Values turned into the follower's fragment, rebuilt from shares first, and left as the leader held them. */
    public String summary() {
        return encoded.sum() + " encoded, " + rebuilt.sum() + " rebuilt, " + kept.sum() + " kept as the leader's fragment";
    }

    /** What the follower holds of {@code v}; the same object when it holds it as the leader does. */
    CompletableFuture<StoredValue> recode(String key, StoredValue v) {
        if (v.coded() == null) return CompletableFuture.completedFuture(fromWhole(key, v));
        Fragment own = v.coded().parse();
        if (!decision.needsRebuild(own)) return CompletableFuture.completedFuture(v);
        return rebuild.value(key, v.modRevision(), v.coded())
                .exceptionally(failed -> null)
                .thenApply(value -> fromRebuilt(v, own, value));
    }

    private StoredValue fromWhole(String key, StoredValue v) {
        if (!v.writeKnown() && !v.recoded()) return v;
        // The entry whose shares the others hold: the put, or the recode that repaired it since.
        byte[] data = v.recoded() ? v.recode(key).encode() : v.put(key).encode();
        FollowerShare.Outcome out = decision.ofWhole(Entry.normal(v.term(), v.at(), data));
        if (out.kind() != FollowerShare.Kind.OWN) return v; // below the threshold: small values travel and stay whole
        encoded.increment();
        return StoredValue.coded(v.createRevision(), v.modRevision(), v.version(),
                new CodedValue(v.at(), v.term(), out.fragment()));
    }

    private StoredValue fromRebuilt(StoredValue v, Fragment own, byte[] value) {
        FollowerShare.Outcome out = decision.ofRebuilt(v.at(), v.term(), own, value);
        if (out.kind() != FollowerShare.Kind.OWN) {
            kept.increment();
            return v;
        }
        rebuilt.increment();
        return StoredValue.coded(v.createRevision(), v.modRevision(), v.version(),
                new CodedValue(v.at(), v.term(), out.fragment()));
    }
}
