package io.leifdb.raft;

import static io.leifdb.raft.CraftReplicationTest.at;
import static io.leifdb.raft.CraftReplicationTest.craft;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.Message.FragmentRequest;
import io.leifdb.raft.Message.FragmentResponse;
import org.junit.jupiter.api.Test;

/** CRaft: a new leader rebuilds its coded suffix from a majority before it serves clients. */
class CraftRecoveryTest {
    private static final byte[] A = "entry A, coded and held by four of five".getBytes();
    private static final byte[] B = "entry B, coded and held by two of five".getBytes();

    /**
     * Leader 1 (N = 5, F = 2, k = 3) gets A to nodes 2, 3, 4 and B to node 2 only; neither commits
     * (F + k = 5). Then node 1 is cut off for good.
     */
    private static Network oldLeaderLeavesUncommittedFragments(long[] indexes) {
        Network net = craft(5);
        CraftReplicationTest.electCoded(net, 1);
        net.cut(1, 5);
        indexes[0] = net.node(1).propose(A);
        net.stabilize();
        net.cut(1, 3);
        net.cut(1, 4);
        indexes[1] = net.node(1).propose(B);
        net.stabilize();
        assertThat(net.status(1).commit()).isLessThan(indexes[0]);
        net.isolate(1);
        return net;
    }

    @Test
    void newLeaderServesNothingUntilRecoveredThenRebuildsWhatAMajorityCanDecode() {
        long[] idx = new long[2];
        Network net = oldLeaderLeavesUncommittedFragments(idx);
        assertThat(at(net, 2, idx[0]).type()).isEqualTo(EntryType.FRAGMENT);
        net.cut(2, 5); // only nodes 3 and 4 answer: with node 2's own, exactly a majority
        net.dropIf(m -> m instanceof FragmentResponse);
        net.elect(2);
        assertThat(net.sentOfType(FragmentRequest.class)).extracting(FragmentRequest::lo).contains(idx[0]);
        assertThatThrownBy(() -> net.node(2).propose("x".getBytes())).isInstanceOf(ProposalDroppedException.class)
                .hasMessageContaining("recovering");
        net.node(2).readIndex(99);
        net.stabilize();
        assertThat(net.reads.get(2L)).as("no ReadIndex answer while recovering").isEmpty();
        assertThat(net.status(2).lastIndex()).as("no no-op before recovery").isEqualTo(idx[1]);

        net.dropIf(m -> false);
        net.cut(2, 5);
        net.tick(2, 1); // heartbeat answers prompt the lost requests again
        net.stabilize();
        assertThat(at(net, 2, idx[0])).as("A rebuilt from fragments 1, 2, 3")
                .isEqualTo(Entry.normal(at(net, 2, idx[0]).term(), idx[0], A));
        Entry noop = at(net, 2, idx[1]);
        assertThat(noop.type()).as("B, held by 2 of 5, was truncated and replaced by the no-op").isEqualTo(EntryType.NOOP);
        assertThat(net.status(2).commit()).isEqualTo(idx[1]);
        assertThat(net.reads.get(2L)).extracting(ReadState::context).containsExactly(99L);
        assertThat(net.applied.get(2L)).extracting(Entry::index).contains(idx[0]);
        net.node(2).propose("now it serves".getBytes());
    }

    @Test
    void entriesAMajorityDecodesSurviveEvenIfTheyNeverCommitted() {
        long[] idx = new long[2];
        Network net = oldLeaderLeavesUncommittedFragments(idx);
        net.elect(3); // node 3 holds A only; responders 2, 4, 5 among them hold A as 1, 3 (and 5: nothing)
        net.stabilize();
        assertThat(at(net, 3, idx[0]).data()).isEqualTo(A);
        assertThat(at(net, 3, idx[1]).type()).isEqualTo(EntryType.NOOP);
        assertThat(at(net, 2, idx[1]).type()).as("node 2's B was overwritten").isEqualTo(EntryType.NOOP);
    }

    @Test
    void leaderChangeDuringRecoveryLetsTheNextLeaderRecoverAgain() {
        long[] idx = new long[2];
        Network net = oldLeaderLeavesUncommittedFragments(idx);
        net.dropIf(m -> m instanceof FragmentResponse);
        net.elect(2); // stuck recovering
        net.dropIf(m -> false);
        net.elect(3); // deposes node 2 mid-recovery; fragments of 2 and 4 with its own rebuild A
        assertThat(at(net, 3, idx[0]).data()).isEqualTo(A);
        assertThat(net.status(3).commit()).isEqualTo(idx[1]);
        assertThat(at(net, 2, idx[1])).as("node 2's B is gone").isEqualTo(at(net, 3, idx[1]));
        assertThat(at(net, 2, idx[1]).type()).isEqualTo(EntryType.NOOP);
    }

    @Test
    void aMajorityThatCannotDecodeTruncatesAtTheFirstUndecodableEntry() {
        long[] idx = new long[2];
        Network net = oldLeaderLeavesUncommittedFragments(idx);
        net.isolate(2); // only 3 (A), 4 (A) and 5 (nothing) remain: 2 fragments of A < k = 3
        net.elect(4);
        assertThat(at(net, 4, idx[0]).type()).as("A was never committed: truncated").isEqualTo(EntryType.NOOP);
        assertThat(net.status(4).lastIndex()).isEqualTo(idx[0]);
        assertThat(net.status(4).commit()).isEqualTo(idx[0]);
    }
}
