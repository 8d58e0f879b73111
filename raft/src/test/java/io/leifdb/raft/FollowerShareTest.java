package io.leifdb.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.craft.Fragment;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a snapshot gives one follower of one value: its own fragment, byte for byte what live
 * replication sends it; the value whole below the threshold; the leader's fragment when a rebuild fails;
 * and what the follower keeps of its own when it installs such a snapshot.
 */
class FollowerShareTest {
    private static final int CLEAR = 4;
    private static final ErasureCoding CODING = CraftPolicy.defaults().withDataShards(3).withMinCodedBytes(64)
            .withClearPrefix(data -> Math.min(CLEAR, data.length)).coding(ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L)));

    private static Entry write(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Entry.normal(7, 42, data);
    }

    @Test
    void aWholeValueBecomesTheFollowersOwnFragmentAsLiveReplicationSendsIt() {
        Entry e = write(1000);
        for (long follower = 1; follower <= 5; follower++) {
            FollowerShare.Outcome out = new FollowerShare(CODING, follower).ofWhole(e);
            assertThat(out.kind()).isEqualTo(FollowerShare.Kind.OWN);
            assertThat(out.fragment()).isEqualTo(CODING.encode(e)[(int) follower - 1].data());
        }
    }

    @Test
    void aValueBelowTheThresholdStaysWhole() {
        assertThat(new FollowerShare(CODING, 2).ofWhole(write(10)).kind()).isEqualTo(FollowerShare.Kind.WHOLE);
    }

    @Test
    void anotherMembersFragmentIsRebuiltOrKeptWhenTheRebuildFails() {
        Entry e = write(1000);
        Fragment leaders = Fragment.fromBytes(CODING.encode(e)[0].data());
        byte[] coded = Arrays.copyOfRange(e.data(), CLEAR, e.data().length);
        FollowerShare toThird = new FollowerShare(CODING, 3);
        FollowerShare.Outcome rebuilt = toThird.ofFragment(42, 7, leaders, f -> coded);
        assertThat(rebuilt.kind()).isEqualTo(FollowerShare.Kind.OWN);
        assertThat(rebuilt.fragment()).isEqualTo(CODING.encode(e)[2].data());
        assertThat(toThird.ofFragment(42, 7, leaders, f -> null).kind()).isEqualTo(FollowerShare.Kind.LEADERS);
        assertThat(toThird.ofFragment(42, 7, leaders, f -> Arrays.copyOf(coded, 5)).kind())
                .as("a rebuild of the wrong length").isEqualTo(FollowerShare.Kind.LEADERS);
        FollowerShare toFirst = new FollowerShare(CODING, 1);
        assertThat(toFirst.ofFragment(42, 7, leaders, f -> {
            throw new AssertionError("its own fragment needs no rebuild");
        }).fragment()).isEqualTo(leaders.toBytes());
    }

    @Test
    void aFragmentOfAnotherCodeIsKept() {
        ErasureCoding k2 = CraftPolicy.defaults().withDataShards(2).withMinCodedBytes(64)
                .withClearPrefix(data -> Math.min(CLEAR, data.length)).coding(ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L)));
        Entry e = write(1000);
        Fragment leaders = Fragment.fromBytes(k2.encode(e)[0].data());
        byte[] coded = Arrays.copyOfRange(e.data(), CLEAR, e.data().length);
        assertThat(new FollowerShare(CODING, 2).ofFragment(42, 7, leaders, f -> coded).kind())
                .isEqualTo(FollowerShare.Kind.LEADERS);
    }

    /** Voter 1 of three, k = 2: fragment 0 is its own; the (13, 2) entry is the write both sides share. */
    private static RedundancyTest.Held share(long index, long term, int fragmentId) {
        return new RedundancyTest.Held(index, index, term, fragmentId, fragmentId < 0 ? 0 : 2, fragmentId < 0 ? 0 : 1);
    }

    @Test
    void anInstallKeepsTheFollowersOwnFragmentOrWholeCopyOverTheLeadersFragmentOfTheSameWrite() {
        // Seed 5420 of craft-snapshots: n1 and n3 took n2's fragment 1 over their fragments 0 and 2, losing the value.
        assertThat(FollowerShare.keepHeld(0, share(13, 2, 0), share(13, 2, 1))).isTrue();
        assertThat(FollowerShare.keepHeld(0, share(13, 2, -1), share(13, 2, 1))).as("a whole copy").isTrue();
    }

    @Test
    void anInstallTakesTheSnapshotsShareOfAnotherWriteOrWhenItOffersAsMuch() {
        assertThat(FollowerShare.keepHeld(0, share(13, 2, 0), share(21, 2, 1))).as("a newer write").isFalse();
        assertThat(FollowerShare.keepHeld(0, share(13, 2, 0), share(13, 3, 1))).as("another term: another entry").isFalse();
        assertThat(FollowerShare.keepHeld(0, share(13, 2, -1), share(13, 2, 0))).as("its own fragment").isFalse();
        assertThat(FollowerShare.keepHeld(0, share(13, 2, 0), share(13, 2, -1))).as("the value whole").isFalse();
        assertThat(FollowerShare.keepHeld(0, share(13, 2, 2), share(13, 2, 1))).as("held not its own either").isFalse();
        assertThat(FollowerShare.keepHeld(0, null, share(13, 2, 1))).as("nothing held").isFalse();
        assertThat(FollowerShare.keepHeld(-1, share(13, 2, -1), share(13, 2, 1))).as("a non-voter's whole copy").isTrue();
    }

    @Test
    void aNonVoterHoldsNoFragment() {
        assertThatThrownBy(() -> new FollowerShare(CODING, 9)).isInstanceOf(IllegalArgumentException.class);
    }
}
