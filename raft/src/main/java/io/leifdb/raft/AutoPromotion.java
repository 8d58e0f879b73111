package io.leifdb.raft;

/**
 * Whether a leader promotes a learner to voter on its own, and how close its log must be. Off, a
 * learner stays one until an operator promotes it. On, the leader promotes a learner once its match
 * index is within {@code maxLag} entries of the leader's last index and it was heard from within an
 * election timeout, one learner at a time, under the rules of every change (see {@link LearnerPromoter}).
 *
 * @param enabled whether to promote at all
 * @param maxLag  how many entries the learner may still lack, at least 0
 */
public record AutoPromotion(boolean enabled, long maxLag) {
    /** Learners stay learners until promoted by hand. */
    public static final AutoPromotion OFF = new AutoPromotion(false, 0);

    public AutoPromotion {
        if (maxLag < 0) {
            throw new IllegalArgumentException("AutoPromotion.maxLag=" + maxLag + ": must be at least 0");
        }
    }

    /** Promote a learner once it lacks at most {@code maxLag} entries. */
    public static AutoPromotion within(long maxLag) {
        return new AutoPromotion(true, maxLag);
    }
}
