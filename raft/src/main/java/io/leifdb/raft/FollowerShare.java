package io.leifdb.raft;

import io.leifdb.raft.craft.Fragment;
import java.util.Arrays;
import java.util.Objects;

/**
 * CRaft snapshots: what one follower holds of one value of the leader's state, as if it had applied
 * the same write from the live log, so that a snapshot carries each follower its own fragment and
 * not the leader's copy (docs/craft.md, "Snapshots").
 *
 * <ul>
 *   <li>A whole value whose write entry (index, term, data) is known is encoded again with the
 *       cluster's code: a coded-size value becomes the follower's fragment, byte for byte what live
 *       replication sends it; a small one stays whole (the policy's threshold decides).</li>
 *   <li>A value the leader holds as another member's fragment is rebuilt from k shares and encoded
 *       again with that fragment's clear part and (k, m); the follower's own fragment it keeps.</li>
 *   <li>A rebuild that fails, or a fragment of another code than the cluster's, keeps the leader's
 *       fragment: the cluster then holds one distinct share fewer, which {@link Redundancy} counts as
 *       below full redundancy and the leader's scrub repairs.</li>
 * </ul>
 * A follower installing such a snapshot keeps what it already holds where the snapshot offers less
 * ({@link #keepHeld}): installing replaces its state, and must not replace its distinct share by a duplicate.
 * Pure and thread-safe; the rebuild (a gather over the network in a node) is the caller's.
 */
public final class FollowerShare {
    /** How the follower holds a value. */
    public enum Kind {
        /** Its own fragment of the write: {@link Outcome#fragment} in {@link Fragment}'s layout. */
        OWN,
        /** Whole, as the leader holds it (below the threshold, or not coded). */
        WHOLE,
        /** The leader's fragment, unchanged: one distinct share fewer until repaired. */
        LEADERS
    }

    /** What the follower holds; {@code fragment} is set only for {@link Kind#OWN}. */
    public record Outcome(Kind kind, byte[] fragment) {
        private static final Outcome WHOLE = new Outcome(Kind.WHOLE, null);
        private static final Outcome LEADERS = new Outcome(Kind.LEADERS, null);
    }

    /** Fetches the value whole from k shares of the write the leader's fragment belongs to; null when it cannot. */
    @FunctionalInterface
    public interface Rebuild {
        byte[] value(Fragment leaders);
    }

    private final ErasureCoding coding;
    private final int id;

    /**
     * @param coding   the cluster's code for the snapshot's voters
     * @param follower the voter the snapshot is for
     * @throws IllegalArgumentException if {@code follower} is not a voter of {@code coding}
     */
    public FollowerShare(ErasureCoding coding, long follower) {
        this.coding = Objects.requireNonNull(coding, "coding");
        this.id = coding.fragmentId(follower);
        if (id < 0) throw new IllegalArgumentException("node " + follower + " is not a voter; it holds no fragment");
    }

    /** The fragment id the follower holds. */
    public int fragmentId() {
        return id;
    }

    /** A value the leader holds whole, written by {@code write} (a NORMAL entry: a put, or the recode that repaired it). */
    public Outcome ofWhole(Entry write) {
        Entry[] fragments = coding.encode(write);
        return fragments == null ? Outcome.WHOLE : new Outcome(Kind.OWN, fragments[id].data());
    }

    /** Whether the leader's fragment must be rebuilt first: it is not the follower's own. */
    public boolean needsRebuild(Fragment leaders) {
        return leaders.id() != id;
    }

    /**
     * A value the leader holds as {@code leaders}, the fragment of the entry ({@code index}, {@code term}).
     *
     * @param value the coded part rebuilt from k shares, or null when the rebuild failed
     */
    public Outcome ofRebuilt(long index, long term, Fragment leaders, byte[] value) {
        if (!needsRebuild(leaders)) return new Outcome(Kind.OWN, leaders.toBytes());
        if (value == null || leaders.k() != coding.k() || leaders.m() != coding.m()
                || value.length != leaders.codedLength()) {
            // Written under another code (k changed since): the cluster's code would not combine with its shares.
            return Outcome.LEADERS;
        }
        byte[] data = Arrays.copyOf(leaders.clear(), leaders.clear().length + value.length);
        System.arraycopy(value, 0, data, leaders.clear().length, value.length);
        Entry[] fragments = coding.encode(Entry.normal(term, index, data));
        return fragments == null ? Outcome.LEADERS : new Outcome(Kind.OWN, fragments[id].data());
    }

    /** {@link #ofRebuilt} with a synchronous rebuild, asked only when the fragment is not the follower's. */
    public Outcome ofFragment(long index, long term, Fragment leaders, Rebuild rebuild) {
        return ofRebuilt(index, term, leaders, needsRebuild(leaders) ? rebuild.value(leaders) : null);
    }

    /**
     * Whether a node installing a snapshot keeps the share it holds of a key instead of the snapshot's:
     * only when both belong to the same entry (an (index, term) names one immutable entry, so one write
     * and one codeword), the snapshot offers a fragment that is not the node's own (the sender's
     * fallback, a duplicate of the leader's share), and the node holds the value whole or its own
     * fragment. Anything else (another write, the node's own fragment, a whole value) is the snapshot's.
     *
     * @param own     the node's fragment id under the snapshot's voters; negative when it holds none
     * @param held    what the node holds of the key before the install; null when nothing
     * @param offered what the snapshot holds of the key
     */
    public static boolean keepHeld(int own, Redundancy.Share held, Redundancy.Share offered) {
        if (held == null) return false;
        if (held.index() != offered.index() || held.term() != offered.term()) return false;
        if (offered.whole() || offered.fragmentId() == own) return false;
        return held.whole() || held.fragmentId() == own;
    }
}
