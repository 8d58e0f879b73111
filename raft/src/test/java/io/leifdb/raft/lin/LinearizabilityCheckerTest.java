package io.leifdb.raft.lin;

import static io.leifdb.raft.lin.Operation.cas;
import static io.leifdb.raft.lin.Operation.delete;
import static io.leifdb.raft.lin.Operation.read;
import static io.leifdb.raft.lin.Operation.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
    private static final long INF = Operation.INFINITY;

    private static CheckResult check(Operation... ops) {
        return LinearizabilityChecker.check(List.of(ops));
    }

    @Test
    void acceptsSequentialHistory() {
        assertThat(check(
                read(1, "x", null, 0, 1),
                write(2, "x", "a", 2, 3, Outcome.OK),
                read(3, "x", "a", 4, 5),
                delete(4, "x", 6, 7, Outcome.OK),
                read(5, "x", null, 8, 9)).isLinearizable()).isTrue();
    }

    @Test
    void acceptsReadsOverlappingAWriteThatSeeEitherValue() {
        // Both reads overlap the write of b, so each may see a or b, in either order between them.
        assertThat(check(
                write(1, "x", "a", 0, 1, Outcome.OK),
                write(2, "x", "b", 10, 30, Outcome.OK),
                read(3, "x", "b", 12, 15),
                read(4, "x", "a", 11, 20)).isLinearizable()).isTrue();
    }

    @Test
    void acceptsConcurrentWritesInEitherOrder() {
        assertThat(check(
                write(1, "x", "a", 0, 10, Outcome.OK),
                write(2, "x", "b", 0, 10, Outcome.OK),
                read(3, "x", "a", 11, 12)).isLinearizable()).isTrue();
        assertThat(check(
                write(1, "x", "a", 0, 10, Outcome.OK),
                write(2, "x", "b", 0, 10, Outcome.OK),
                read(3, "x", "b", 11, 12)).isLinearizable()).isTrue();
    }

    @Test
    void rejectsStaleRead() {
        // The write of 2 completed before the read began, yet the read saw the older 1.
        CheckResult r = check(
                write(1, "x", "1", 0, 10, Outcome.OK),
                write(2, "x", "2", 20, 30, Outcome.OK),
                read(3, "x", "1", 40, 50));
        assertThat(r.verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
        assertThat(r.key()).isEqualTo("x");
        assertThat(r.describe()).contains("read(x) -> '1'");
    }

    @Test
    void rejectsNewThenOldReadInversion() {
        // The first read saw the new value and finished before the second began, which saw the old one.
        assertThat(check(
                write(1, "x", "old", 0, 1, Outcome.OK),
                write(2, "x", "new", 5, 100, Outcome.OK),
                read(3, "x", "new", 10, 20),
                read(4, "x", "old", 30, 40)).isLinearizable()).isFalse();
    }

    @Test
    void rejectsValueNobodyWrote() {
        assertThat(check(
                write(1, "x", "a", 0, 1, Outcome.OK),
                read(2, "x", "z", 2, 3)).isLinearizable()).isFalse();
    }

    @Test
    void rejectsReadOfDeletedValue() {
        assertThat(check(
                write(1, "x", "a", 0, 1, Outcome.OK),
                delete(2, "x", 2, 3, Outcome.OK),
                read(3, "x", "a", 4, 5)).isLinearizable()).isFalse();
    }

    @Test
    void unknownWriteMayHaveTakenEffect() {
        assertThat(check(
                write(1, "x", "1", 0, 1, Outcome.OK),
                write(2, "x", "2", 5, INF, Outcome.UNKNOWN),
                read(3, "x", "2", 100, 101)).isLinearizable()).isTrue();
    }

    @Test
    void unknownWriteMayNotHaveTakenEffect() {
        assertThat(check(
                write(1, "x", "1", 0, 1, Outcome.OK),
                write(2, "x", "2", 5, INF, Outcome.UNKNOWN),
                read(3, "x", "1", 100, 101),
                read(4, "x", "1", 200, 201)).isLinearizable()).isTrue();
    }

    @Test
    void unknownWriteTakesEffectAtMostOnceAndNotBeforeItsCall() {
        // Seen, then unseen, then seen again: a single write cannot do that.
        assertThat(check(
                write(1, "x", "1", 0, 1, Outcome.OK),
                write(2, "x", "2", 5, INF, Outcome.UNKNOWN),
                read(3, "x", "2", 10, 11),
                read(4, "x", "1", 20, 21)).isLinearizable()).isFalse();
        // Seen before the client even sent it.
        assertThat(check(
                write(1, "x", "1", 0, 1, Outcome.OK),
                read(2, "x", "2", 2, 3),
                write(3, "x", "2", 5, INF, Outcome.UNKNOWN)).isLinearizable()).isFalse();
    }

    @Test
    void failedWriteIsDroppedButFailedReadDoesNotCount() {
        assertThat(check(
                write(1, "x", "1", 0, 1, Outcome.OK),
                write(2, "x", "2", 5, 6, Outcome.FAILED),
                read(3, "x", "2", 10, 11)).isLinearizable()).isFalse();
        assertThat(check(
                write(1, "x", "1", 0, 1, Outcome.OK),
                new Operation(2, "x", Operation.Kind.READ, "garbage", null, 5, 6, Outcome.FAILED),
                new Operation(3, "x", Operation.Kind.READ, null, null, 7, INF, Outcome.UNKNOWN),
                read(4, "x", "1", 10, 11)).isLinearizable()).isTrue();
    }

    @Test
    void compareAndSetSwapsOnlyOnMatch() {
        assertThat(check(
                write(1, "x", "a", 0, 1, Outcome.OK),
                cas(2, "x", "a", "b", 2, 3, Outcome.OK),
                read(3, "x", "b", 4, 5)).isLinearizable()).isTrue();
        assertThat(check(
                write(1, "x", "a", 0, 1, Outcome.OK),
                cas(2, "x", "z", "b", 2, 3, Outcome.OK)).isLinearizable()).isFalse();
        assertThat(check(
                write(1, "x", "a", 0, 1, Outcome.OK),
                cas(2, "x", "z", "b", 2, INF, Outcome.UNKNOWN),
                read(3, "x", "a", 4, 5)).isLinearizable()).isTrue();
    }

    @Test
    void checksEachKeyOnItsOwnAndNamesTheBadOne() {
        CheckResult r = check(
                write(1, "a", "1", 0, 10, Outcome.OK),
                write(2, "b", "1", 0, 10, Outcome.OK),
                write(3, "b", "2", 20, 30, Outcome.OK),
                read(4, "a", "1", 40, 50),
                read(5, "b", "1", 40, 50));
        assertThat(r.verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
        assertThat(r.key()).isEqualTo("b");
        assertThat(r.operations()).extracting(Operation::id).containsExactly(2L, 3L, 5L);
    }

    @Test
    void givesUpWithinItsBudget() {
        CheckResult r = LinearizabilityChecker.check(List.of(
                write(1, "x", "1", 0, 10, Outcome.OK),
                write(2, "x", "2", 0, 10, Outcome.OK),
                read(3, "x", "3", 20, 30)), 2);
        assertThat(r.verdict()).isEqualTo(CheckResult.Verdict.GAVE_UP);
    }

    @Test
    void unknownDeleteSeenAsAbsentStillConstrainsLaterReads() {
        // The delete took effect by the absent read, so the old value cannot come back.
        assertThat(check(
                write(1, "x", "1", 0, 1, Outcome.OK),
                delete(2, "x", 5, INF, Outcome.UNKNOWN),
                read(3, "x", null, 10, 11),
                read(4, "x", "1", 20, 21)).isLinearizable()).isFalse();
    }

    @Test
    void manyUnobservedUnknownWritesStayCheapAndDoNotHideAStaleRead() {
        List<Operation> ops = new java.util.ArrayList<>();
        ops.add(write(1, "x", "a", 0, 1, Outcome.OK));
        for (int i = 0; i < 200; i++) ops.add(write(10 + i, "x", "lost" + i, 2 + i, INF, Outcome.UNKNOWN));
        ops.add(write(2, "x", "b", 300, 301, Outcome.OK));
        ops.add(read(3, "x", "b", 302, 303));
        assertThat(LinearizabilityChecker.check(ops, 100_000).isLinearizable()).isTrue();
        ops.add(read(4, "x", "a", 310, 311));
        assertThat(LinearizabilityChecker.check(ops, 100_000).verdict())
                .isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void manyConcurrentUnknownDeletesStayCheap() {
        // Each unknown delete may explain an absent read; they are interchangeable, so this is not 2^100.
        List<Operation> ops = new java.util.ArrayList<>();
        long id = 1;
        for (int round = 0; round < 50; round++) {
            long t = round * 100L;
            ops.add(write(id++, "x", "w" + round, t, t + 1, Outcome.OK));
            ops.add(delete(id++, "x", t + 2, INF, Outcome.UNKNOWN));
            ops.add(delete(id++, "x", t + 3, INF, Outcome.UNKNOWN));
            ops.add(read(id++, "x", round % 2 == 0 ? null : "w" + round, t + 10, t + 11));
        }
        assertThat(LinearizabilityChecker.check(ops, 1_000_000).isLinearizable()).isTrue();
        // Absent, then the value back again without a write: no delete can explain that.
        ops.add(write(id++, "x", "last", 10_000, 10_001, Outcome.OK));
        ops.add(read(id++, "x", null, 10_010, 10_011));
        ops.add(read(id, "x", "last", 10_020, 10_021));
        assertThat(LinearizabilityChecker.check(ops, 1_000_000).verdict())
                .isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    }
}
