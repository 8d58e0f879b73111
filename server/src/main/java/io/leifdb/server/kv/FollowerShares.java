package io.leifdb.server.kv;

import io.leifdb.raft.Entry;
import io.leifdb.raft.ErasureCoding;
import io.leifdb.raft.craft.Fragment;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * CRaft snapshots: turns each value of the leader's state into what one follower would hold had
 * it applied the same writes from the live log, so that a snapshot carries each follower its own
 * fragment and not the leader's copy.
 *
 * <ul>
 *   <li>A whole value whose write is known (format 3) is encoded again from its log entry,
 *       {@code Entry(term, modRevision, put)}, with the cluster's code: a coded-size value
 *       becomes the follower's fragment, byte for byte what the leader would have sent it, and
 *       a small one stays whole (the policy's own threshold decides).</li>
 *   <li>A value the leader holds as another member's fragment is first rebuilt from k shares
 *       ({@link Rebuild}) and encoded again with that fragment's clear part and (k, m).</li>
 *   <li>A value repaired since ({@link Recode}) is encoded from the recode entry instead, whose
 *       shares the other members hold.</li>
 *   <li>A value whose write is unknown (format 1, older data) stays whole; so does one whose
 *       rebuild fails, which then keeps the leader's fragment (see docs/craft.md).</li>
 * </ul>
 * Thread-safe: the counters are the only state.
 */
public final class FollowerShares {
    /** Fetches a value whole from the shares of the write (index, term) that {@code own} names. */
    @FunctionalInterface
    public interface Rebuild {
        CompletableFuture<byte[]> value(String key, long revision, CodedValue own);
    }

    private final ErasureCoding coding;
    private final int id;
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
        this.coding = Objects.requireNonNull(coding, "coding");
        this.id = coding.fragmentId(follower);
        if (id < 0) throw new IllegalArgumentException("node " + follower + " is not a voter; it holds no fragment");
        this.rebuild = Objects.requireNonNull(rebuild, "rebuild");
    }

    /** The fragment id the follower holds. */
    public int fragmentId() {
        return id;
    }

    /** Values turned into the follower's fragment, rebuilt from shares first, and left as the leader held them. */
    public String summary() {
        return encoded.sum() + " encoded, " + rebuilt.sum() + " rebuilt, " + kept.sum() + " kept as the leader's fragment";
    }

    /** What the follower holds of {@code v}; the same object when it holds it as the leader does. */
    CompletableFuture<StoredValue> recode(String key, StoredValue v) {
        if (v.coded() == null) return CompletableFuture.completedFuture(fromWhole(key, v));
        Fragment own = v.coded().parse();
        if (own.id() == id) return CompletableFuture.completedFuture(v);
        return rebuild.value(key, v.modRevision(), v.coded())
                .thenApply(value -> fromRebuilt(v, own, value))
                .exceptionally(failed -> {
                    kept.increment();
                    return v;
                });
    }

    private StoredValue fromWhole(String key, StoredValue v) {
        if (!v.writeKnown() && !v.recoded()) return v;
        // The entry whose shares the others hold: the put, or the recode that repaired it since.
        byte[] data = v.recoded() ? v.recode(key).encode() : v.put(key).encode();
        Entry entry = Entry.normal(v.term(), v.at(), data);
        Entry[] fragments = coding.encode(entry);
        if (fragments == null) return v; // below the threshold: small values travel and stay whole
        encoded.increment();
        return StoredValue.coded(v.createRevision(), v.modRevision(), v.version(),
                new CodedValue(v.at(), v.term(), fragments[id].data()));
    }

    private StoredValue fromRebuilt(StoredValue v, Fragment own, byte[] value) {
        if (own.k() != coding.k() || own.m() != coding.m() || value.length != own.codedLength()) {
            // Written under another code (k changed between runs): our code would not combine with its shares.
            kept.increment();
            return v;
        }
        byte[] data = Arrays.copyOf(own.clear(), own.clear().length + value.length);
        System.arraycopy(value, 0, data, own.clear().length, value.length);
        Entry[] fragments = coding.encode(Entry.normal(v.term(), v.at(), data));
        if (fragments == null) {
            kept.increment();
            return v;
        }
        rebuilt.increment();
        return StoredValue.coded(v.createRevision(), v.modRevision(), v.version(),
                new CodedValue(v.at(), v.term(), fragments[id].data()));
    }
}
