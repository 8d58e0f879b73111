package io.leifdb.raft;

import static io.leifdb.raft.Redundancy.Verdict.BELOW;
import static io.leifdb.raft.Redundancy.Verdict.FULL;
import static io.leifdb.raft.Redundancy.Verdict.OVER;
import static io.leifdb.raft.Redundancy.Verdict.UNSETTLED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The repair's deciding rule: which shares give a value full redundancy, and which do not. */
class RedundancyTest {
    private static final long REV = 10;

    /** What a voter reports, as the server's ShareSummary carries it (fragment id -1: whole). */
    record Held(long revision, long index, long term, int fragmentId, int k, int m) implements Redundancy.Share {
        @Override
        public boolean whole() {
            return fragmentId == -1;
        }
    }

    private static Held whole() {
        return new Held(REV, 0, 0, -1, 0, 0);
    }

    private static Held frag(int id) {
        return frag(id, 3, 2, REV, 4);
    }

    private static Held frag(int id, int k, int m, long index, long term) {
        return new Held(REV, index, term, id, k, m);
    }

    private static Redundancy.Verdict of(Held... held) {
        return Redundancy.of(REV, Arrays.asList(held));
    }

    @Test
    void everyVoterWithItsOwnDistinctFragmentOrAWholeCopyIsFull() {
        assertThat(of(whole(), frag(1), frag(2), frag(3), frag(4))).isEqualTo(FULL);
        assertThat(of(frag(0), frag(1), frag(2), frag(3), frag(4))).isEqualTo(FULL);
        assertThat(of(frag(4), frag(3), whole(), frag(1), frag(0))).as("ids need not follow positions").isEqualTo(FULL);
    }

    @Test
    void severalWholeCopiesAreOverReplicatedNotBelow() {
        assertThat(of(whole(), whole(), whole(), whole(), whole())).isEqualTo(OVER);
        assertThat(of(whole(), frag(1), whole(), frag(3), frag(4))).isEqualTo(OVER);
        assertThat(of(whole(), frag(0), whole(), frag(0), frag(4))).as("a duplicate still counts first").isEqualTo(BELOW);
    }

    @Test
    void aDuplicatedFragmentIsBelow() {
        // The snapshot fallback: a follower kept the leader's fragment 0.
        assertThat(of(frag(0), frag(0), frag(2), frag(3), frag(4))).isEqualTo(BELOW);
    }

    @Test
    void fragmentsOfTwoWritesOrTwoCodesAreBelow() {
        assertThat(of(whole(), frag(1), frag(2), frag(3), frag(4, 3, 2, REV + 5, 4))).isEqualTo(BELOW);
        assertThat(of(whole(), frag(1), frag(2), frag(3), frag(4, 3, 2, REV, 5))).isEqualTo(BELOW);
        assertThat(of(whole(), frag(1, 2, 3, REV, 4), frag(2), frag(3), frag(4))).isEqualTo(BELOW);
    }

    @Test
    void aCodeForAnotherNumberOfVotersIsBelow() {
        // Written by four voters (k = 2, m = 2); a fifth joined since and holds it whole.
        assertThat(of(frag(0, 2, 2, REV, 4), frag(1, 2, 2, REV, 4), frag(2, 2, 2, REV, 4), frag(3, 2, 2, REV, 4), whole()))
                .isEqualTo(BELOW);
        // Written by five, one removed since: four voters hold fragments of a (3, 2) code.
        assertThat(of(frag(0), frag(1), frag(2), frag(3))).isEqualTo(BELOW);
    }

    @Test
    void aMalformedShareOrOneOutOfRangeIsBelow() {
        assertThat(of(whole(), frag(1), frag(2), frag(3), new Held(REV, 0, 0, -2, 0, 0))).isEqualTo(BELOW);
        assertThat(of(whole(), frag(1), frag(2), frag(3), frag(7))).isEqualTo(BELOW);
    }

    @Test
    void aVoterAtAnotherRevisionOrSilentLeavesTheValueUnsettled() {
        assertThat(of(whole(), frag(0), frag(0), new Held(REV - 1, 3, 4, 3, 3, 2), frag(4))).isEqualTo(UNSETTLED);
        List<Held> missing = new ArrayList<>(List.of(whole(), frag(1), frag(1), frag(3)));
        missing.add(null);
        assertThat(Redundancy.of(REV, missing)).isEqualTo(UNSETTLED);
    }

    @Test
    void thePlantedBugTakesADuplicatedFragmentForFull() {
        assertThat(Redundancy.of(REV, List.of(frag(0), frag(0), frag(2), frag(3), frag(4)),
                java.util.Set.of(PlantedBug.SNAPSHOT_FALLBACK_WITHOUT_REPAIR))).isEqualTo(FULL);
    }

    @Test
    void theScrubRaisesEveryValueBelowAndRecodesOthersOnlyWhereItPays() {
        assertThat(Redundancy.repair(BELOW, true, true, 10, 4096)).isEqualTo(Redundancy.Repair.RAISE);
        assertThat(Redundancy.repair(BELOW, false, false, 10, 4096)).isEqualTo(Redundancy.Repair.RAISE);
        assertThat(Redundancy.repair(OVER, true, false, 8192, 4096)).as("coded-size, coding on").isEqualTo(Redundancy.Repair.RECODE);
        assertThat(Redundancy.repair(OVER, true, false, 100, 4096)).as("would travel whole again").isEqualTo(Redundancy.Repair.NONE);
        assertThat(Redundancy.repair(OVER, false, false, 8192, 4096)).isEqualTo(Redundancy.Repair.NONE);
        assertThat(Redundancy.repair(OVER, false, true, 8192, 4096)).as("coding off: make it whole").isEqualTo(Redundancy.Repair.RECODE);
        assertThat(Redundancy.repair(FULL, false, true, 10, 4096)).isEqualTo(Redundancy.Repair.RECODE);
        assertThat(Redundancy.repair(FULL, true, true, 10, 4096)).isEqualTo(Redundancy.Repair.NONE);
        assertThat(Redundancy.repair(UNSETTLED, false, true, 10, 4096)).isEqualTo(Redundancy.Repair.NONE);
        assertThat(Redundancy.anyFragment(List.of(whole(), whole()))).isFalse();
        assertThat(Redundancy.anyFragment(java.util.Arrays.asList(whole(), null, frag(1)))).isTrue();
    }

    @Test
    void losingAnyFVotersOfAFullValueLeavesEnoughShares() {
        // The claim behind FULL, checked by brute force: every 3 of 5 hold a whole copy or k = 3 distinct ids.
        List<Held> full = List.of(whole(), frag(1), frag(2), frag(3), frag(4));
        List<Held> dup = List.of(frag(0), frag(0), frag(2), frag(3), frag(4));
        assertThat(survivesAnyTwoLosses(full)).isTrue();
        assertThat(survivesAnyTwoLosses(dup)).isFalse();
    }

    private static boolean survivesAnyTwoLosses(List<Held> held) {
        for (int a = 0; a < 5; a++) {
            for (int b = a + 1; b < 5; b++) {
                boolean wholeLeft = false;
                java.util.Set<Integer> ids = new java.util.HashSet<>();
                for (int i = 0; i < 5; i++) {
                    if (i == a || i == b) continue;
                    if (held.get(i).whole()) wholeLeft = true;
                    else ids.add(held.get(i).fragmentId());
                }
                if (!wholeLeft && ids.size() < 3) return false;
            }
        }
        return true;
    }
}
