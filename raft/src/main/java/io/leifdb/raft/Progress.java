package io.leifdb.raft;

/**
 * The leader's view of one peer's log (§5.3 nextIndex/matchIndex) and how it sends to it:
 * PROBE sends one AppendEntries at a time until the match point is found, REPLICATE pipelines
 * optimistically within the {@link Inflights} window (by count and by bytes), SNAPSHOT waits for
 * an InstallSnapshot.
 */
final class Progress {
    enum State { PROBE, REPLICATE, SNAPSHOT }

    long match;
    long next;
    State state = State.PROBE;
    /** In SNAPSHOT: the index of the snapshot being sent. */
    long pendingSnapshot;
    /** Heard from since the last check-quorum round (§9.6). */
    boolean recentActive;
    /** In PROBE: a probe is outstanding, so wait for its reply or the next heartbeat. */
    boolean probeSent;
    /** The commit index the last AppendEntries to this peer carried. */
    long sentCommit;
    boolean learner;
    long ticksSinceContact;
    final Inflights inflights;

    Progress(long next, int maxInflight, long maxInflightBytes, boolean learner) {
        this.next = next;
        this.inflights = new Inflights(maxInflight, maxInflightBytes);
        this.learner = learner;
    }

    void becomeProbe() {
        long afterSnapshot = state == State.SNAPSHOT ? pendingSnapshot + 1 : 0;
        reset(State.PROBE);
        next = Math.max(match + 1, afterSnapshot);
    }

    void becomeReplicate() {
        reset(State.REPLICATE);
        next = match + 1;
    }

    void becomeSnapshot(long snapshotIndex) {
        reset(State.SNAPSHOT);
        pendingSnapshot = snapshotIndex;
    }

    private void reset(State s) {
        state = s;
        probeSent = false;
        pendingSnapshot = 0;
        inflights.reset();
    }

    /** A success through {@code index}; returns whether match moved. */
    boolean maybeUpdate(long index) {
        boolean updated = false;
        if (index > match) {
            match = index;
            updated = true;
            probeSent = false;
        }
        next = Math.max(next, index + 1);
        return updated;
    }

    /**
     * A reject of the AppendEntries at {@code rejected}; {@code hint} is the highest index that may
     * still match. Returns false when the reject is stale (an older message's answer).
     */
    boolean maybeDecrTo(long rejected, long hint) {
        if (state == State.REPLICATE) {
            if (rejected <= match) {
                return false;
            }
            next = match + 1;
            return true;
        }
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(Math.min(rejected, hint + 1), match + 1);
        probeSent = false;
        return true;
    }

    /** The peer's log now ends at {@code lastIndex}, below what it acknowledged: probe from there. */
    void resetAfterDataLoss(long lastIndex) {
        match = lastIndex;
        next = lastIndex + 1;
        becomeProbe();
        probeSent = false;
    }

    /**
     * Record that an AppendEntries ending at {@code lastIndex} left with {@code count} entries whose
     * payloads (what was sent: a CRaft fragment, not the whole entry) weigh {@code bytes}.
     */
    void sent(long lastIndex, int count, long bytes) {
        switch (state) {
            case REPLICATE -> {
                if (count > 0) {
                    next = lastIndex + 1;
                    inflights.add(lastIndex, bytes);
                }
            }
            case PROBE -> probeSent = true;
            case SNAPSHOT -> throw new IllegalStateException("append sent in snapshot state");
        }
    }

    boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights.full();
            case SNAPSHOT -> true;
        };
    }

    Status.PeerStatus toStatus() {
        return new Status.PeerStatus(match, next, state.name(), ticksSinceContact, learner);
    }
}
