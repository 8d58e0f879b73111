package io.leifdb.raft.sim;

/**
 * A simulated process death inside the driver (before an fsync, or after it and before sending):
 * thrown through the driver, whose state is then dropped like the process's memory.
 */
final class SimCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** How many unsynced writes survive, in the order they were issued. */
    final int keep;

    SimCrash(int keep) {
        super("simulated crash", null, false, false);
        this.keep = keep;
    }
}
