package io.leifdb.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Message.AppendEntries;
import io.leifdb.raft.Message.AppendResponse;
import io.leifdb.raft.craft.Fragment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CRaft replication: coded payloads, the F + k commit rule with tagged acks, and mode switching. */
class CraftReplicationTest {
    private static final byte[] VALUE = "a value long enough to be cut into fragments".getBytes();

    static Network craft(int voters) {
        return Network.of(voters, c -> c.withPolicy(CraftPolicy.defaults()));
    }

    /** Elects {@code id}, which replicates coded once it has heard from F + k voters (at its next tick). */
    static void electCoded(Network net, long id) {
        net.elect(id);
        net.tick(id, 1);
        net.stabilize();
    }

    static Entry at(Network net, long node, long index) {
        return net.log(node).stream().filter(e -> e.index() == index).findFirst().orElse(null);
    }

    @Test
    void codedModeSendsEachFollowerOnlyItsOwnFragmentAndCommitsOnFPlusK() {
        Network net = craft(5);
        electCoded(net, 1);
        long index = net.node(1).propose(VALUE);
        List<AppendEntries> appends = Fixtures.ofType(net.take(), AppendEntries.class);
        assertThat(appends).hasSize(4);
        for (AppendEntries a : appends) {
            Entry sent = a.entries().getFirst();
            assertThat(sent.type()).isEqualTo(EntryType.FRAGMENT);
            assertThat(Fragment.fromBytes(sent.data()).id()).as("server i stores fragment i").isEqualTo((int) a.to() - 1);
            net.deliver(a);
        }
        net.stabilize();
        assertThat(net.status(1).commit()).isEqualTo(index);
        assertThat(at(net, 1, index).data()).as("only the leader holds the full entry").isEqualTo(VALUE);
        for (long f = 2; f <= 5; f++) assertThat(at(net, f, index).type()).isEqualTo(EntryType.FRAGMENT);
    }

    @Test
    void aMajorityOfFragmentsIsNotEnoughToCommit() {
        Network net = craft(5); // F = 2, k = 3: F + k = 5
        electCoded(net, 1);
        net.isolate(5);
        long index = net.node(1).propose(VALUE);
        net.stabilize();
        assertThat(net.status(1).commit()).as("4 of the 5 holders needed").isLessThan(index);
        for (long f = 2; f <= 4; f++) assertThat(at(net, f, index).type()).isEqualTo(EntryType.FRAGMENT);
    }

    @Test
    void duplicateAndForgedAcksAreNeverCountedTwice() {
        Network net = craft(5);
        electCoded(net, 1);
        long index = net.node(1).propose(VALUE);
        List<AppendEntries> appends = Fixtures.ofType(net.take(), AppendEntries.class);
        net.deliver(appends.get(0)); // node 2 stores fragment 1
        AppendResponse ack = Fixtures.ofType(net.take(), AppendResponse.class).getFirst();
        assertThat(ack.held()).containsExactly(FragmentAck.fragment(index, index, 3, 2, 1));
        for (int i = 0; i < 10; i++) net.deliver(ack); // the resent fragment's ack, many times
        net.deliver(appends.get(0)); // and the fragment itself resent
        net.take().stream().filter(m -> m.to() == 1).forEach(net::deliver);
        // Node 2 claiming other voters' fragments proves nothing: each voter counts once, by its own id.
        for (int id = 2; id <= 4; id++) {
            net.deliver(new AppendResponse(2, 1, ack.term(), false, index, 0, 0,
                    List.of(FragmentAck.fragment(index, index, 3, 2, id))));
        }
        net.take();
        assertThat(net.status(1).commit()).as("holders: leader and node 2 only").isLessThan(index);
    }

    @Test
    void leaderFallsBackToFullCopiesWhenTooFewAreLiveAndResendsCodedEntriesInFull() {
        Network net = craft(5);
        electCoded(net, 1);
        net.isolate(5);
        long index = net.node(1).propose(VALUE);
        net.stabilize();
        assertThat(net.status(1).commit()).isLessThan(index);
        net.tick(1, 10); // an election timeout without hearing node 5: 4 live < F + k
        net.stabilize();
        assertThat(net.status(1).commit()).as("now a majority of full copies commits it").isEqualTo(index);
        for (long f = 2; f <= 4; f++) {
            assertThat(at(net, f, index)).as("node %d replaced its fragment in place", f)
                    .isEqualTo(Entry.normal(at(net, 1, index).term(), index, VALUE));
        }
        long full = net.node(1).propose(VALUE);
        List<AppendEntries> appends = Fixtures.ofType(net.take(), AppendEntries.class);
        assertThat(appends).allSatisfy(a -> assertThat(a.entries().getLast().type()).isEqualTo(EntryType.NORMAL));
        appends.forEach(net::deliver);
        net.heal(); // node 5 is back: once heard from, coded mode again
        net.tick(1, 1);
        net.stabilize();
        assertThat(net.status(1).commit()).isEqualTo(full);
        for (int i = 0; i < 10; i++) { // after a drop, k rises once enough voters kept up for two windows
            net.tick(1, 1);
            net.stabilize();
        }
        long coded = net.node(1).propose(VALUE);
        List<AppendEntries> codedAppends = Fixtures.ofType(net.take(), AppendEntries.class);
        assertThat(codedAppends).allSatisfy(a -> assertThat(a.entries().getLast().type()).isEqualTo(EntryType.FRAGMENT));
        codedAppends.forEach(net::deliver);
        net.stabilize();
        assertThat(net.status(1).commit()).isEqualTo(coded);
        assertThat(at(net, 5, full)).as("the node that lagged caught up").isNotNull();
    }

    @Test
    void followerUpgradesAFragmentInPlaceAndKeepsTheEntriesAfterIt() {
        CraftPolicy policy = CraftPolicy.defaults();
        ErasureCoding coding = policy.coding(Fixtures.THREE);
        List<Entry> full = Fixtures.logOfTerms(1, 1, 1);
        List<Entry> mine = full.stream().map(e -> coding.encode(e)[0]).toList(); // node 1 holds fragment 0
        MemoryStorage s = Fixtures.storage(Fixtures.THREE, new HardState(1, 0, 0), mine);
        Network net = new Network();
        net.add(1, Network.plain(1).withPolicy(policy), s);
        net.deliver(new AppendEntries(2, 1, 1, 1, 1, List.of(full.get(1)), 0));
        assertThat(net.log(1)).containsExactly(mine.get(0), full.get(1), mine.get(2));
        AppendResponse r = Fixtures.ofType(net.take(), AppendResponse.class).getFirst();
        assertThat(r.held()).as("everything from the leader's commit to the acknowledged index, in runs")
                .containsExactly(FragmentAck.fragment(1, 1, 2, 1, 0), FragmentAck.full(2, 2));
        // A stale fragment arriving after the full copy never downgrades it.
        net.deliver(new AppendEntries(2, 1, 1, 1, 1, List.of(mine.get(1)), 0));
        assertThat(net.log(1).get(1)).isEqualTo(full.get(1));
    }

    /** Found at seed 6575 of craft-reconfigured: a resend that upgrades one entry carried a fragment of the next. */
    @Test
    void anUpgradeNeverTradesAFullCopyOfALaterEntryForAFragment() {
        CraftPolicy policy = CraftPolicy.defaults();
        ErasureCoding coding = policy.coding(Fixtures.THREE);
        List<Entry> full = Fixtures.logOfTerms(1, 1, 1);
        List<Entry> mine = List.of(coding.encode(full.get(0))[0], coding.encode(full.get(1))[0], full.get(2));
        MemoryStorage s = Fixtures.storage(Fixtures.THREE, new HardState(1, 0, 0), mine);
        Network net = new Network();
        net.add(1, Network.plain(1).withPolicy(policy), s);
        // Entries 1 and 2 come whole (they upgrade our fragments); entry 3, which we hold whole, comes as a fragment.
        net.deliver(new AppendEntries(2, 1, 1, 0, 0, List.of(full.get(0), full.get(1), coding.encode(full.get(2))[0]), 0));
        assertThat(net.log(1)).containsExactly(full.get(0), full.get(1), full.get(2));
    }

    @Test
    void commitRuleCountsFullMajoritiesOrFPlusKHoldersAndOnlyOwnTermByCounting() {
        CraftPolicy p = CraftPolicy.defaults();
        java.util.Map<Long, Long> match = java.util.Map.of(1L, 1L, 2L, 0L, 3L, 0L, 4L, 0L, 5L, 0L);
        java.util.function.LongUnaryOperator term2 = i -> i == 1 ? 2 : 0;
        assertThat(p.commitIndex(view(match, term2, holders(java.util.Set.of(2L, 3L), java.util.Map.of()))))
                .as("leader + 2 full copies: a majority").isEqualTo(1);
        assertThat(p.commitIndex(view(match, term2, holders(java.util.Set.of(), java.util.Map.of(2L, 1, 3L, 2, 4L, 3)))))
                .as("4 holders < F + k").isEqualTo(0);
        assertThat(p.commitIndex(view(match, term2,
                holders(java.util.Set.of(5L), java.util.Map.of(2L, 1, 3L, 2, 4L, 3))))).isEqualTo(1);
        java.util.function.LongUnaryOperator term1 = i -> i == 1 ? 1 : 0;
        assertThat(p.commitIndex(view(match, term1, holders(java.util.Set.of(2L, 3L, 4L, 5L), java.util.Map.of()))))
                .as("§5.4.2: an earlier term's entry is never committed by counting").isEqualTo(0);
        assertThat(p.withUnsafeCodedQuorum(n -> (n - 1) / 2 + 1).commitIndex(view(match, term2,
                holders(java.util.Set.of(), java.util.Map.of(2L, 1, 3L, 2))))).as("the planted bug").isEqualTo(1);
    }

    private static ReplicationPolicy.CommitView view(java.util.Map<Long, Long> match,
            java.util.function.LongUnaryOperator termAt, ReplicationPolicy.Holders at1) {
        return new ReplicationPolicy.CommitView(match, 2, 0, termAt, 1, new java.util.TreeMap<>(java.util.Map.of(1L, at1)), 0);
    }

    private static ReplicationPolicy.Holders holders(java.util.Set<Long> full, java.util.Map<Long, Integer> frags) {
        return new ReplicationPolicy.Holders(full, frags, 3);
    }
}
