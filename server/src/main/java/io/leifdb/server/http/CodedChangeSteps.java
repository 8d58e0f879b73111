package io.leifdb.server.http;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The steps docs/craft.md names when a voter change is refused as {@code coded} (issue 14), in one place for
 * the CLI's {@code member remove|promote --coding-off-first} (one API call at a time, so a leader change in
 * between only moves where the calls go) and the API's {@code ?codingOffFirst=true} (the leader runs them
 * in-process): turn coding off, wait until the leader's repair scrub has stored every value whole and
 * recorded storedK 1, make the change, turn coding on again, also when a step failed.
 */
public final class CodedChangeSteps {
    private static final long POLL_MS = 500;
    private static final long REPORT_MS = 5_000;

    /** The cluster as the steps see it; each call may throw what the caller's transport throws. */
    public interface Cluster {
        boolean codingOn();

        /** Turns coding on or off through the log, keeping k and the threshold; returns once applied. */
        void setCodingOn(boolean on);

        /** storedK as the leader last applied it (docs/craft.md, "Voter changes under coding"). */
        int storedK();

        /** Values below full redundancy as the leader's scrub last counted them, or "?" when unknown. */
        String belowFullRedundancy();

        /** Whether {@code e} is the refusal these steps get around: 409 {@code coded}. */
        boolean refusedAsCoded(RuntimeException e);

        /** The caller's kind of failure: {@code code} is {@code timeout}, {@code interrupted} or {@code coding_still_off}. */
        RuntimeException failure(String code, String message);

        /** One line of progress for the operator. */
        void report(String line);
    }

    private CodedChangeSteps() {
    }

    /**
     * Runs {@code change}; when refused as coded, through coding off and storedK 1, waiting at most
     * {@code wait} for storedK 1. {@code shown} describes the change's answer in a progress line.
     */
    public static <T> T run(Cluster c, Supplier<T> change, Function<? super T, String> shown, Duration wait) {
        try {
            return change.get();
        } catch (RuntimeException e) {
            if (!c.refusedAsCoded(e)) throw e;
            c.report("refused: " + e.getMessage());
        }
        boolean wasOn = c.codingOn();
        if (wasOn) {
            c.setCodingOn(false);
            c.report("coding turned off; waiting until every value is whole on every voter (storedK 1)");
        }
        RuntimeException failed = null;
        try {
            awaitWhole(c, wait);
            T done = change.get();
            c.report("changed: " + shown.apply(done));
            return done;
        } catch (RuntimeException e) {
            failed = e;
            throw e;
        } finally {
            if (wasOn) turnCodingOnAgain(c, failed);
        }
    }

    /** Coding goes back on whatever happened; if that fails too, the operator must hear that it is still off. */
    private static void turnCodingOnAgain(Cluster c, RuntimeException failed) {
        try {
            c.setCodingOn(true);
            c.report("coding turned on again");
        } catch (RuntimeException e) {
            RuntimeException still = c.failure("coding_still_off", (failed == null ? "the change went through"
                    : "the change failed (" + failed.getMessage() + ")") + ", but turning coding on again failed ("
                    + e.getMessage() + "): coding is still off; turn it on with leifdb coding set --on true"
                    + " (PUT /cluster/coding {\"on\": true})");
            if (failed != null) still.addSuppressed(failed);
            throw still;
        }
    }

    private static void awaitWhole(Cluster c, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        long reported = System.nanoTime();
        while (true) {
            int storedK = c.storedK();
            if (storedK <= 1) return;
            if (System.nanoTime() > deadline) {
                throw c.failure("timeout", "storedK is still " + storedK + " after " + wait.toSeconds()
                        + " s (a voter that is down stops the scrub); nothing was changed");
            }
            if (System.nanoTime() - reported > REPORT_MS * 1_000_000L) {
                c.report("  storedK " + storedK + ", " + c.belowFullRedundancy() + " values below full redundancy");
                reported = System.nanoTime();
            }
            try {
                Thread.sleep(POLL_MS); // the CLI's main thread, or the request's virtual thread on the server
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
                throw c.failure("interrupted", "interrupted while waiting for storedK 1");
            }
        }
    }
}
