package io.leifdb.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Message.AppendEntries;
import io.leifdb.raft.craft.Fragment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: CRaft's coding parameters are cluster state (recorded by the first leader, followed by
 * every member whatever its variables), k adapts to the voters that keep up, and entries coded
 * with different k stay decodable through a leader change.
 */
class CraftClusterParamsTest {
    private static final byte[] VALUE = "a value long enough to be cut into fragments, twice over".getBytes();

    private static Network cluster(int n, CraftPolicy first, CraftPolicy others) {
        return Network.of(n, c -> c.withPolicy(c.id() == 1 ? first : others));
    }

    /** Elects 1, lets it commit its no-op and record its variables, and ticks until it picked its k. */
    private static void settle(Network net, long leader) {
        net.elect(leader);
        for (int i = 0; i < 8; i++) net.tickAll(1);
    }

    private static int k(Entry e) {
        return e.type() == EntryType.FRAGMENT ? Fragment.fromBytes(e.data()).k() : 0;
    }

    @Test
    void membershipBytesCarryTheParametersAndOldBytesStillRead() {
        ConfState conf = ConfState.of(Set.of(1L, 2L, 3L), Set.of(4L)).withCoding(new CodingParams(true, 2, 4096));
        assertThat(ConfStateCodec.decode(ConfStateCodec.encode(conf))).isEqualTo(conf);
        byte[] old = ConfStateCodec.encode(conf.withCoding(null));
        assertThat(ConfStateCodec.decode(old).coding()).as("bytes written before the parameters existed").isNull();
        assertThat(new CodingParams(false, 3, 0).maxK(5)).as("off is full copies").isEqualTo(1);
        assertThat(new CodingParams(true, 0, 0).maxK(5)).as("0 is N - F").isEqualTo(3);
        assertThat(new CodingParams(true, 3, 0).maxK(3)).as("capped at N - F").isEqualTo(2);
    }

    @Test
    void theFirstLeaderRecordsItsVariablesAndAMemberThatDisagreesFollowsThem() {
        CraftPolicy mine = CraftPolicy.defaults().withDataShards(2);
        CraftPolicy theirs = CraftPolicy.defaults().withCoding(false);
        Network net = cluster(5, mine, theirs);
        settle(net, 1);
        CodingParams recorded = new CodingParams(true, 2, 0, 3); // storedK: N - F while the cluster codes
        for (long id = 1; id <= 5; id++) {
            assertThat(net.nodes.get(id).codingParams()).as("node %d", id).isEqualTo(recorded);
            assertThat(net.nodes.get(id).confState().coding()).isEqualTo(recorded);
        }
        assertThat(net.log(3).stream().filter(e -> e.type() == EntryType.CONFIG)).as("one CONFIG entry records them")
                .hasSize(1);
        // Node 2's variables say off; as leader it codes with the cluster's k = 2 all the same.
        net.isolate(1);
        settle(net, 2);
        net.heal();
        net.isolate(1);
        net.sent.clear();
        long index = net.nodes.get(2L).propose(VALUE);
        net.stabilize();
        assertThat(net.sentOfType(AppendEntries.class).stream().flatMap(a -> a.entries().stream())
                .filter(e -> e.index() == index).map(CraftClusterParamsTest::k)).containsOnly(2);
        assertThat(net.status(2).commit()).isGreaterThanOrEqualTo(index);
    }

    @Test
    void aChangeThroughTheLogAppliesToNewEntriesOnly() {
        Network net = cluster(5, CraftPolicy.defaults(), CraftPolicy.defaults());
        settle(net, 1);
        long a = net.nodes.get(1L).propose(VALUE);
        net.stabilize();
        ConfState cur = net.nodes.get(1L).confState();
        net.nodes.get(1L).proposeConfChange(cur.withCoding(new CodingParams(true, 2, 0)));
        net.stabilize();
        for (int i = 0; i < 3; i++) net.tickAll(1);
        long b = net.nodes.get(1L).propose(VALUE);
        net.stabilize();
        assertThat(k(at(net, 3, a))).as("written under k = 3").isEqualTo(3);
        assertThat(k(at(net, 3, b))).as("written after the change").isEqualTo(2);
        assertThat(net.status(1).commit()).isGreaterThanOrEqualTo(b);
    }

    @Test
    void aLiveFollowerThatDoesNotKeepUpLowersKAndCatchingUpRaisesIt() {
        Network net = cluster(5, CraftPolicy.defaults(), CraftPolicy.defaults());
        settle(net, 1);
        assertThat(net.nodes.get(1L).codedDataShards()).isEqualTo(3);
        // Node 5 answers heartbeats but receives no entries: a slow link, or a member catching up.
        net.dropIf(m -> m.to() == 5 && m instanceof AppendEntries);
        long lagging = net.nodes.get(1L).propose(VALUE);
        net.stabilize();
        for (int i = 0; i < 20; i++) net.tickAll(1); // lag must last a window, catching up two (damped)
        assertThat(net.nodes.get(1L).codedDataShards()).as("4 keep up: F + k <= 4").isEqualTo(2);
        assertThat(net.status(1).commit()).as("node 5 stalls nothing").isGreaterThanOrEqualTo(lagging);
        long two = net.nodes.get(1L).propose(VALUE);
        net.stabilize();
        assertThat(net.status(1).commit()).isGreaterThanOrEqualTo(two);
        assertThat(k(at(net, 2, two))).isEqualTo(2);
        net.heal();
        for (int i = 0; i < 20; i++) net.tickAll(1); // lag must last a window, catching up two (damped)
        assertThat(net.nodes.get(1L).codedDataShards()).as("caught up: k back to 3").isEqualTo(3);
    }

    @Test
    void entriesOfMixedKDecodeFromAMajorityAfterALeaderChange() {
        Network net = cluster(5, CraftPolicy.defaults(), CraftPolicy.defaults());
        settle(net, 1);
        List<Long> written = new ArrayList<>();
        written.add(net.nodes.get(1L).propose(VALUE));
        net.stabilize();
        net.dropIf(m -> m.to() == 5 && m instanceof AppendEntries);
        net.nodes.get(1L).propose(VALUE); // node 5 falls behind on this one: k drops to 2
        net.stabilize();
        for (int i = 0; i < 20; i++) net.tickAll(1); // lag must last a window, catching up two (damped)
        written.add(net.nodes.get(1L).propose(VALUE));
        net.stabilize();
        net.heal();
        // Leader 1 goes; nodes 2 to 4 hold only fragments of both (k = 3 and k = 2).
        net.isolate(1);
        assertThat(List.of(k(at(net, 2, written.get(0))), k(at(net, 2, written.get(1))))).containsExactly(3, 2);
        settle(net, 2);
        ErasureCoding coding = CraftPolicy.defaults().coding(net.nodes.get(2L).confState());
        for (long index : written) {
            Entry rebuilt = coding.rebuild(at(net, 2, index), List.of(at(net, 3, index), at(net, 4, index)));
            assertThat(rebuilt).as("entry %d from the majority without the old leader, with its own k", index)
                    .isEqualTo(Entry.normal(at(net, 1, index).term(), index, VALUE));
        }
        long next = net.nodes.get(2L).propose(VALUE);
        net.stabilize();
        assertThat(net.status(2).commit()).as("the new leader commits").isGreaterThanOrEqualTo(next);
    }

    private static Entry at(Network net, long node, long index) {
        return net.log(node).stream().filter(e -> e.index() == index).findFirst().orElseThrow();
    }
}
