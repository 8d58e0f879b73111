package io.leifdb.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.ProposalDroppedException.Reason;
import io.leifdb.raft.craft.Fragment;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, part 4: a voter change under coding is allowed iff storedK + added voters <= the new majority
 * ({@link CodedVoterChange}), storedK is recorded with the membership, and only an explicit proposal lowers it.
 */
class CodedVoterChangeTest {
    private static final byte[] VALUE = "a value long enough to be cut into fragments, twice over".getBytes();

    private static Network coded(ConfState conf) {
        return Network.of(conf, c -> c.withPolicy(CraftPolicy.defaults()));
    }

    /** Elects 1, lets it commit its no-op and record the cluster's parameters, writes one coded value. */
    private static RawNode settle(Network net) {
        net.elect(1);
        for (int i = 0; i < 8; i++) net.tickAll(1);
        RawNode leader = net.nodes.get(1L);
        long index = leader.propose(VALUE);
        net.stabilize();
        assertThat(net.status(1).commit()).isGreaterThanOrEqualTo(index);
        assertThat(net.log(2).stream().filter(e -> e.index() == index).findFirst().orElseThrow().type())
                .as("the value is coded").isEqualTo(EntryType.FRAGMENT);
        return leader;
    }

    private static ConfState without(ConfState cur, long id) {
        TreeSet<Long> voters = new TreeSet<>(cur.voters());
        voters.remove(id);
        return new ConfState(voters, cur.learners());
    }

    private static void assertRefused(RawNode leader, ConfState next) {
        assertThatThrownBy(() -> leader.proposeConfChange(next)).isInstanceOf(ProposalDroppedException.class)
                .satisfies(e -> assertThat(((ProposalDroppedException) e).reason()).isEqualTo(Reason.CODED))
                .hasMessageContaining("turn coding off");
    }

    @Test
    void fromFiveVotersARemovalIsAllowedAndFromFourNeitherRemovalNorAddition() {
        Network net = coded(ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L)));
        RawNode leader = settle(net);
        assertThat(leader.confState().coding().storedK()).as("k = 3 of 5: N - F").isEqualTo(3);
        leader.proposeConfChange(without(leader.confState(), 5)); // 3 <= majority of 4 (3)
        net.stabilize();
        assertThat(leader.confState().voters()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(leader.confState().coding().storedK()).isEqualTo(3);
        long after = leader.propose(VALUE);
        net.stabilize();
        assertThat(net.status(1).commit()).as("the 4 voters commit coded entries").isGreaterThanOrEqualTo(after);
        assertRefused(leader, without(leader.confState(), 4)); // 3 > majority of 3 (2)
        assertRefused(leader, ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L))); // 3 + 1 > majority of 5 (3)
    }

    @Test
    void anEntryInFlightWhenTheVotersChangeIsResentWholeAndCommitsOnTheNewMajority() {
        Network net = coded(ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L)));
        RawNode leader = settle(net);
        net.isolate(5);
        long inFlight = leader.propose(VALUE); // k = 3 of 5 needs all five: it cannot commit
        net.stabilize();
        assertThat(net.status(1).commit()).isLessThan(inFlight);
        assertThat(net.log(2).stream().filter(e -> e.index() == inFlight).findFirst().orElseThrow().type())
                .as("sent as a fragment for the five positions").isEqualTo(EntryType.FRAGMENT);
        leader.proposeConfChange(without(leader.confState(), 5));
        net.stabilize();
        assertThat(net.status(1).commit()).as("committed under the four voters").isGreaterThanOrEqualTo(inFlight);
        for (long f = 2; f <= 4; f++) {
            assertThat(net.log(f).stream().filter(e -> e.index() == inFlight).findFirst().orElseThrow().type())
                    .as("node %d holds it whole: old positions' fragments never count", f).isEqualTo(EntryType.NORMAL);
        }
        long next = leader.propose(VALUE);
        net.stabilize();
        assertThat(net.status(1).commit()).isGreaterThanOrEqualTo(next);
        Fragment f = Fragment.fromBytes(
                net.log(2).stream().filter(e -> e.index() == next).findFirst().orElseThrow().data());
        assertThat(f.k() + f.m()).as("new entries are coded for the four voters").isEqualTo(4);
    }

    @Test
    void addingAVoterToThreeIsAllowedAndRaisesStoredK() {
        Network net = coded(ConfState.of(Set.of(1L, 2L, 3L), Set.of(4L)));
        RawNode leader = settle(net);
        assertThat(leader.confState().coding().storedK()).as("k = 2 of 3").isEqualTo(2);
        leader.proposeConfChange(ConfState.of(Set.of(1L, 2L, 3L, 4L))); // 2 + 1 <= majority of 4 (3)
        net.stabilize();
        assertThat(leader.confState().voters()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(leader.confState().coding().storedK()).as("the added voter holds no share").isEqualTo(3);
        long after = leader.propose(VALUE);
        net.stabilize();
        assertThat(net.status(1).commit()).isGreaterThanOrEqualTo(after);
        Entry held = net.log(4).stream().filter(e -> e.index() == after).findFirst().orElseThrow();
        Fragment f = Fragment.fromBytes(held.data());
        assertThat(f.k() + f.m()).as("coded for the 4 voters").isEqualTo(4);
    }

    @Test
    void codingOffKeepsStoredKUntilAnExplicitProposalLowersIt() {
        Network net = coded(ConfState.of(Set.of(1L, 2L, 3L, 4L)));
        RawNode leader = settle(net);
        leader.proposeConfChange(leader.confState().withCoding(new CodingParams(false, 0, 0)));
        net.stabilize();
        assertThat(leader.confState().coding().on()).isFalse();
        assertThat(leader.confState().coding().storedK()).as("fragments stay in the logs and stores").isEqualTo(3);
        assertRefused(leader, without(leader.confState(), 4));
        // What the server's repair scrub proposes once every voter holds every value whole.
        leader.proposeConfChange(leader.confState().withCoding(new CodingParams(false, 0, 0, 1)));
        net.stabilize();
        assertThat(leader.confState().coding().storedK()).isEqualTo(1);
        leader.proposeConfChange(without(leader.confState(), 4));
        net.stabilize();
        assertThat(leader.confState().voters()).containsExactly(1L, 2L, 3L);
        assertThat(leader.confState().coding().storedK()).as("nothing coded: plain Raft").isEqualTo(1);
        // Turning coding on again codes for the 3 voters, and records N - F.
        leader.proposeConfChange(leader.confState().withCoding(new CodingParams(true, 0, 0)));
        net.stabilize();
        assertThat(leader.confState().coding().storedK()).isEqualTo(2);
        leader.proposeConfChange(leader.confState().withCoding(new CodingParams(true, 0, 0, 1)));
        net.stabilize();
        assertThat(leader.confState().coding().storedK()).as("no proposal records less than coding needs").isEqualTo(2);
    }

    @Test
    void layoutOneParametersReadAsUnknownStoredK() {
        byte[] v1 = ByteBuffer.allocate(CodingParams.BYTES_V1).put((byte) 1).put((byte) 1).putInt(3).putInt(4096)
                .array();
        CodingParams p = CodingParams.read(ByteBuffer.wrap(v1));
        assertThat(p).isEqualTo(new CodingParams(true, 3, 4096, 0));
        ConfState conf = ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L)).withCoding(p);
        assertThat(CodedVoterChange.storedK(conf)).as("unknown: the largest k any leader could have used").isEqualTo(3);
        CodingParams v2 = new CodingParams(true, 3, 4096, 3);
        assertThat(CodingParams.read(ByteBuffer.wrap(v2.toBytes()))).isEqualTo(v2);
    }
}
