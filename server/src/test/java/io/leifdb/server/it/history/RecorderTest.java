package io.leifdb.server.it.history;

import io.leifdb.raft.lin.CheckResult;
import io.leifdb.raft.lin.LinearizabilityChecker;
import io.leifdb.raft.lin.Operation;
import io.leifdb.raft.lin.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorder and the checker wired as the cluster test wires them, fed scripted HTTP answers:
 * proves that the pipeline rejects the violations it exists to catch and accepts honest
 * uncertainty.
 */
class RecorderTest {
    private long now;
    private final Recorder recorder = new Recorder(() -> now);

    private static Attempt ok(int node) {
        return new Attempt.Answered(node, 200, null, null, "\"7\"", null);
    }

    private static Attempt read(int node, String value) {
        return new Attempt.Answered(node, 200, null, value, "\"7\"", null);
    }

    private static Attempt redirect(int from, int to) {
        return new Attempt.Answered(from, 307, "not_leader", null, null, "http://127.0.0.1:900" + to + "/db/k");
    }

    /** Runs one operation from {@code call} to {@code ret} whose attempts were {@code trail}. */
    private ReplyRules.Result op(Request r, long call, long ret, Attempt... trail) {
        now = call;
        Recorder.Call c = recorder.begin(0, r);
        now = ret;
        return recorder.end(c, List.of(trail));
    }

    private CheckResult check() {
        return LinearizabilityChecker.check(recorder.operations());
    }

    @Test
    void staleReadAfterAnAcknowledgedWriteIsRejected() {
        op(Request.write("k", "v1"), 0, 10, ok(0));
        op(Request.write("k", "v2"), 20, 30, redirect(1, 0), ok(0));
        // A deposed leader answers from its old state after v2 was acknowledged.
        op(Request.read("k"), 40, 50, read(1, "v1"));

        CheckResult r = check();
        assertThat(r.verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
        assertThat(r.key()).isEqualTo("k");
        String report = HistoryReport.keyHistory("k", recorder.operations(), recorder, r.focus());
        assertThat(report).contains("read  -> 'v1'").contains("c0 n1:307/not_leader n0:200");
    }

    @Test
    void theSameReadBeforeTheSecondWriteReturnedIsAccepted() {
        op(Request.write("k", "v1"), 0, 10, ok(0));
        op(Request.write("k", "v2"), 20, 45, ok(0));
        op(Request.read("k"), 40, 50, read(1, "v1"));

        assertThat(check().isLinearizable()).isTrue();
    }

    @Test
    void readingAbsentAfterAnAcknowledgedWriteIsRejected() {
        op(Request.write("k", "v1"), 0, 10, ok(0));
        op(Request.read("k"), 20, 30, new Attempt.Answered(2, 404, "not_found", null, null, null));

        assertThat(check().verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aTimedOutWriteStaysOpenEndedAndMayBeSeenLater() {
        op(Request.write("k", "v1"), 0, 10, ok(0));
        ReplyRules.Result lost = op(Request.write("k", "v2"), 20, 30, new Attempt.Lost(0, "timeout"));
        op(Request.read("k"), 500, 510, read(2, "v2"));

        assertThat(lost).isInstanceOf(ReplyRules.Result.Unknown.class);
        Operation w = recorder.operations().stream().filter(o -> "v2".equals(o.value()) && o.kind() == Operation.Kind.WRITE)
                .findFirst().orElseThrow();
        assertThat(w.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(w.ret()).isEqualTo(Operation.INFINITY);
        assertThat(check().isLinearizable()).isTrue();

        // Once v2 was seen, going back to v1 is a stale read even though v2 was never acknowledged.
        op(Request.read("k"), 600, 610, read(1, "v1"));
        assertThat(check().verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void a503AfterProposingIsUnknownButNoLeaderIsRetriedElsewhere() {
        Attempt unavailable = new Attempt.Answered(0, 503, "unavailable", null, null, null);
        Attempt noLeader = new Attempt.Answered(1, 503, "no_leader", null, null, null);
        assertThat(ReplyRules.next(unavailable)).isEqualTo(ReplyRules.Next.DONE);
        assertThat(ReplyRules.next(noLeader)).isEqualTo(ReplyRules.Next.RETRY_ELSEWHERE);
        assertThat(ReplyRules.next(new Attempt.Answered(3, 503, "joining", null, null, null)))
                .as("a joining member refuses before proposing").isEqualTo(ReplyRules.Next.RETRY_ELSEWHERE);
        assertThat(ReplyRules.next(new Attempt.NotSent(2, "ConnectException"))).isEqualTo(ReplyRules.Next.RETRY_ELSEWHERE);
        assertThat(ReplyRules.next(redirect(1, 0))).isEqualTo(ReplyRules.Next.FOLLOW);

        assertThat(op(Request.write("k", "a"), 0, 10, noLeader, unavailable)).isInstanceOf(ReplyRules.Result.Unknown.class);
        // Every attempt proved nothing was proposed: certain failure, so the value may never be read.
        assertThat(op(Request.write("k", "b"), 20, 30, noLeader, redirect(1, 0), new Attempt.NotSent(0, "x")))
                .isInstanceOf(ReplyRules.Result.Failed.class);
        op(Request.read("k"), 40, 50, read(2, "a"));
        assertThat(check().isLinearizable()).isTrue();

        op(Request.read("k"), 60, 70, read(2, "b"));
        assertThat(check().verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aRejectedCompareAndSetHadNoEffect() {
        op(Request.write("k", "a"), 0, 10, ok(0));
        Attempt preconditionFailed = new Attempt.Answered(0, 412, "precondition_failed", null, "\"9\"", null);
        assertThat(op(Request.ifMatch("k", "x", "\"3\"", "b"), 20, 30, preconditionFailed))
                .isInstanceOf(ReplyRules.Result.Failed.class);
        op(Request.read("k"), 40, 50, read(1, "a"));
        assertThat(check().isLinearizable()).isTrue();

        // The value of a write that failed for certain can never be read.
        op(Request.read("k"), 60, 70, read(1, "b"));
        assertThat(check().verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void anAcknowledgedCompareAndSetMustHaveFoundItsExpectedValue() {
        op(Request.write("k", "a"), 0, 10, ok(0));
        op(Request.write("k", "b"), 20, 30, ok(0));
        // If-Match on the revision of 'a' succeeded after 'b' replaced it: the precondition was checked on stale state.
        op(Request.ifMatch("k", "a", "\"1\"", "c"), 40, 50, ok(0));

        assertThat(check().verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void createIfAbsentOnAnExistingKeyIsRejected() {
        op(Request.write("k", "a"), 0, 10, ok(0));
        op(Request.ifAbsent("k", "b"), 20, 30, ok(1));

        assertThat(check().verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void unansweredReadsAreDroppedAndReadsOfOtherKeysAreIndependent() {
        op(Request.write("k", "a"), 0, 10, ok(0));
        op(Request.read("k"), 20, 30, new Attempt.Lost(1, "timeout"));
        op(Request.read("k"), 20, 30, new Attempt.Answered(1, 503, "unavailable", null, null, null));
        op(Request.read("other"), 20, 30, new Attempt.Answered(1, 404, "not_found", null, null, null));
        op(Request.delete("k"), 40, 50, ok(0));
        op(Request.read("k"), 60, 70, new Attempt.Answered(1, 404, "not_found", null, null, null));

        assertThat(check().isLinearizable()).isTrue();
        HistoryReport.Figures f = HistoryReport.figures(recorder.operations());
        assertThat(f.droppedReads()).isEqualTo(2);
        assertThat(f.ok()).isEqualTo(4);
    }
}
