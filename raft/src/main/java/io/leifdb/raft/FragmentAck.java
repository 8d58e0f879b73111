package io.leifdb.raft;

/**
 * The tag on a successful AppendResponse under CRaft: how the follower holds the entries
 * [{@code lo}, {@code hi}] of the leader's term it just acknowledged. The leader counts a voter
 * once per index, by the fragment id it reports, so a resent fragment is never counted twice.
 *
 * @param kind       FULL: full copies; FRAGMENT: fragment {@code fragmentId} of the (k, m) code, or
 *                   a full copy; COMMITTED: the follower knows [lo, hi] is committed
 * @param fragmentId the fragment the follower holds (its position among the voters); -1 unless FRAGMENT
 */
public record FragmentAck(long lo, long hi, Kind kind, int k, int m, int fragmentId) {
    public enum Kind { FULL, FRAGMENT, COMMITTED }

    public static FragmentAck full(long lo, long hi) {
        return new FragmentAck(lo, hi, Kind.FULL, 0, 0, -1);
    }

    public static FragmentAck fragment(long lo, long hi, int k, int m, int fragmentId) {
        return new FragmentAck(lo, hi, Kind.FRAGMENT, k, m, fragmentId);
    }

    public static FragmentAck committed(long hi) {
        return new FragmentAck(0, hi, Kind.COMMITTED, 0, 0, -1);
    }
}
