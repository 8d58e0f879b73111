package io.leifdb.raft;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Membership and the per-peer {@link Progress} a leader keeps, plus the votes of an election.
 * Only voters count toward quorums; learners replicate but never vote (§4.2.1 of the thesis).
 */
final class ProgressTracker {
    enum VoteResult { PENDING, WON, LOST }

    private final int maxInflight;
    private final long maxInflightBytes;
    ConfState conf;
    /** Sorted, so that every iteration over peers is deterministic. */
    final TreeMap<Long, Progress> progress = new TreeMap<>();
    private final Map<Long, Boolean> votes = new HashMap<>();

    ProgressTracker(ConfState conf, int maxInflight, long maxInflightBytes, long lastIndex) {
        this.maxInflight = maxInflight;
        this.maxInflightBytes = maxInflightBytes;
        this.conf = conf;
        resetProgress(lastIndex);
    }

    /**
     * Members the latest CONFIG entry removed. The leader still sends them the log, as to learners,
     * until that entry commits, so that a removed member usually learns of its removal and stops
     * campaigning (thesis §4.2.3 leaves it to time out otherwise). They never count toward anything.
     */
    final java.util.TreeSet<Long> departing = new java.util.TreeSet<>();

    /** Adopt a membership: keep the progress of members that stay, start new ones after lastIndex. */
    void applyConf(ConfState next, long lastIndex) {
        conf = next;
        progress.forEach((id, p) -> {
            if (!isMember(id)) {
                departing.add(id);
                p.learner = true;
            }
        });
        departing.removeIf(this::isMember);
        for (long id : next.voters()) {
            progress.computeIfAbsent(id, k -> new Progress(lastIndex + 1, maxInflight, maxInflightBytes, false)).learner = false;
        }
        for (long id : next.learners()) {
            progress.computeIfAbsent(id, k -> new Progress(lastIndex + 1, maxInflight, maxInflightBytes, true)).learner = true;
        }
    }

    /** The change that removed {@code id} committed and it holds it: stop replicating to it. */
    void dropDeparting(long id) {
        if (departing.remove(id)) {
            progress.remove(id);
        }
    }

    void resetProgress(long lastIndex) {
        progress.clear();
        departing.clear();
        applyConf(conf, lastIndex);
    }

    boolean isVoter(long id) {
        return conf.voters().contains(id);
    }

    boolean isMember(long id) {
        return conf.voters().contains(id) || conf.learners().contains(id);
    }

    Progress get(long id) {
        return progress.get(id);
    }

    /** A majority of voters: n/2+1 for every n, odd or even (bug 1 counted a 2-node leader alone). */
    int quorum() {
        return conf.voters().size() / 2 + 1;
    }

    Map<Long, Long> voterMatches() {
        Map<Long, Long> m = new TreeMap<>();
        for (long id : conf.voters()) {
            Progress p = progress.get(id);
            m.put(id, p == null ? 0 : p.match);
        }
        return m;
    }

    void resetVotes() {
        votes.clear();
    }

    void recordVote(long id, boolean granted) {
        if (isVoter(id)) {
            votes.putIfAbsent(id, granted);
        }
    }

    VoteResult tally() {
        long granted = votes.values().stream().filter(v -> v).count();
        long rejected = votes.size() - granted;
        if (granted >= quorum()) {
            return VoteResult.WON;
        }
        if (rejected > conf.voters().size() - quorum()) {
            return VoteResult.LOST;
        }
        return VoteResult.PENDING;
    }

    /** §9.6 check-quorum: has a majority of voters (this node included) been heard from lately? */
    boolean quorumActive(long self) {
        int active = 0;
        for (long id : conf.voters()) {
            Progress p = progress.get(id);
            if (id == self || (p != null && p.recentActive)) {
                active++;
            }
        }
        return active >= quorum();
    }

    void resetRecentActive(long self) {
        progress.forEach((id, p) -> p.recentActive = id == self);
    }
}
