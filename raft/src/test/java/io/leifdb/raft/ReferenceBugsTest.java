package io.leifdb.raft;

import static io.leifdb.raft.Fixtures.THREE;
import static io.leifdb.raft.Fixtures.e;
import static io.leifdb.raft.Fixtures.logOfTerms;
import static io.leifdb.raft.Fixtures.ofType;
import static io.leifdb.raft.Fixtures.storage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.leifdb.raft.Message.AppendEntries;
import io.leifdb.raft.Message.AppendResponse;
import io.leifdb.raft.Message.Heartbeat;
import io.leifdb.raft.Message.HeartbeatResponse;
import io.leifdb.raft.Message.InstallSnapshot;
import io.leifdb.raft.Message.VoteResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Regression tests, one per safety bug of the original LeifDB (REFERENCE.md). */
class ReferenceBugsTest {

    @Test
    void bug01_twoNodeLeaderDoesNotCommitAlone() {
        Network net = Network.of(2);
        net.elect(1);
        net.isolate(2);
        long commit = net.status(1).commit();
        net.node(1).propose("x".getBytes());
        net.stabilize();
        net.tickAll(3);
        assertThat(net.status(1).commit()).isEqualTo(commit);
    }

    @Test
    void bug01_quorumIsMajorityForEveryClusterSizeOneToSeven() {
        for (int n = 1; n <= 7; n++) {
            for (int holders = 0; holders <= n; holders++) {
                Map<Long, Long> match = new HashMap<>();
                for (long id = 1; id <= n; id++) {
                    match.put(id, id <= holders ? 5L : 0L);
                }
                long commit = PlainRaftPolicy.INSTANCE.commitIndex(
                        new ReplicationPolicy.CommitView(match, 1, 0, i -> 1));
                assertThat(commit).as("n=%d holders=%d", n, holders).isEqualTo(holders >= n / 2 + 1 ? 5 : 0);
            }
        }
    }

    @Test
    void bug02_voterComparesLastLogTermAndIndexNotCommitIndex() {
        // The voter committed only entry 1 but holds 1..3; a candidate ending at 2 lacks entry 3.
        Network net = Network.solo(1, storage(THREE, new HardState(1, 0, 1), logOfTerms(1, 1, 1)));
        net.deliver(new Message.RequestVote(2, 1, 2, 2, 1, false, false));
        assertThat(ofType(net.take(), VoteResponse.class).getFirst().granted()).isFalse();
        // A later last term wins even with a lower commit index and a shorter log.
        net.deliver(new Message.RequestVote(3, 1, 3, 2, 2, false, false));
        assertThat(ofType(net.take(), VoteResponse.class).getFirst().granted()).isTrue();
    }

    /** Figure 8: S1 leads term 4 with entry 2@2 on a majority; S5 (log 2@3) can still win. */
    @Test
    void bug03_figure8_entryFromPreviousTermIsNotCommittedByCountingReplicas() {
        assertThat(figure8Commit(PlainRaftPolicy.INSTANCE)).isEqualTo(1);
        // The same scenario under a policy without the current-term check commits entry 2,
        // which S5 could overwrite: the check is what makes the difference.
        assertThat(figure8Commit(new CountingOnlyPolicy())).isEqualTo(2);
    }

    private static long figure8Commit(ReplicationPolicy policy) {
        ConfState five = ConfState.of(Set.of(1L, 2L, 3L, 4L, 5L));
        Network net = new Network();
        net.add(1, Network.plain(1).withPolicy(policy), storage(five, new HardState(4, 1, 1), logOfTerms(1, 2)));
        net.add(2, Network.plain(2), storage(five, new HardState(4, 1, 1), logOfTerms(1, 2)));
        net.add(3, Network.plain(3), storage(five, new HardState(4, 1, 1), logOfTerms(1)));
        net.add(4, Network.plain(4), storage(five, new HardState(4, 1, 1), logOfTerms(1)));
        net.add(5, Network.plain(5), storage(five, new HardState(4, 5, 1), logOfTerms(1, 3)));
        net.node(1).campaign(); // term 5
        net.take().forEach(net::deliver);
        net.take().forEach(net::deliver);
        assertThat(net.status(1).role()).isEqualTo(Role.LEADER);
        // S3 gets entry 2@2 but the no-op of term 5 is lost everywhere.
        net.take();
        net.deliver(new AppendEntries(1, 3, 5, 1, 1, List.of(e(2, 2)), 1));
        AppendResponse ack = ofType(net.take(), AppendResponse.class).getFirst();
        net.deliver(ack);
        net.deliver(new AppendResponse(2, 1, 5, false, 2, 0, 0));
        return net.status(1).commit();
    }

    /** A deliberately broken policy: it forgets the current-term check of §5.4.2. */
    static final class CountingOnlyPolicy implements ReplicationPolicy {
        @Override
        public Entry payloadFor(long peer, Entry entry) {
            return entry;
        }

        @Override
        public long commitIndex(CommitView view) {
            return Math.max(view.commit(), PlainRaftPolicy.quorumIndex(view.voterMatch().values()));
        }
    }

    @Test
    void bug04_lateShorterAppendDoesNotTruncate() {
        Network net = Network.solo(1, storage(THREE, new HardState(1, 0, 0), List.of()));
        AppendEntries longer = new AppendEntries(2, 1, 1, 0, 0, logOfTerms(1, 1, 1), 0);
        AppendEntries shorter = new AppendEntries(2, 1, 1, 0, 0, logOfTerms(1), 0);
        net.deliver(longer);
        net.deliver(shorter); // reordered: the older, shorter append arrives last
        assertThat(net.log(1)).extracting(Entry::index).containsExactly(1L, 2L, 3L);
        List<AppendResponse> acks = ofType(net.take(), AppendResponse.class);
        assertThat(acks).extracting(AppendResponse::index).containsExactly(3L, 1L);
    }

    @Test
    void bug07_shortLogFollowerRejectsWithHintAndNeverThrows() {
        Network net = Network.solo(1, storage(THREE, new HardState(1, 0, 0), logOfTerms(1)));
        assertThatCode(() -> net.deliver(new AppendEntries(2, 1, 2, 50, 2, List.of(e(51, 2)), 50)))
                .doesNotThrowAnyException();
        AppendResponse r = ofType(net.take(), AppendResponse.class).getFirst();
        assertThat(r.reject()).isTrue();
        assertThat(r.hintIndex()).isEqualTo(1);
        assertThat(r.hintTerm()).isEqualTo(1);
    }

    @Test
    void bug11_electionTimeoutRandomisedPerElection() {
        Network net = Network.of(3);
        net.isolate(1);
        List<Integer> gaps = new ArrayList<>();
        long term = 0;
        int ticks = 0;
        while (gaps.size() < 12) {
            net.tick(1, 1);
            ticks++;
            if (net.status(1).term() != term) {
                term = net.status(1).term();
                gaps.add(ticks);
                ticks = 0;
            }
        }
        assertThat(gaps).allMatch(g -> g >= 10 && g < 20);
        assertThat(Set.copyOf(gaps).size()).as("timeouts %s", gaps).isGreaterThan(2);
    }

    @Test
    void bug11_leaderStepsDownOnHigherTermInReply() {
        List<Function<Long, Message>> replies = List.of(
                t -> new AppendResponse(2, 1, t, true, 0, 0, 0),
                t -> new HeartbeatResponse(2, 1, t, 0),
                t -> new VoteResponse(2, 1, t, false, false));
        for (Function<Long, Message> reply : replies) {
            Network net = Network.of(3);
            net.elect(1);
            long term = net.status(1).term();
            net.deliver(reply.apply(term + 1));
            assertThat(net.status(1).role()).as("after %s", reply.apply(term + 1)).isEqualTo(Role.FOLLOWER);
            assertThat(net.status(1).term()).isEqualTo(term + 1);
        }
    }

    @Test
    void bug12_heartbeatDoesNotResendLogAndBacktrackingIsFast() {
        Network net = new Network();
        long[] stale = IntStream.range(0, 60).mapToLong(i -> i < 10 ? 1 : 2).toArray();
        long[] fresh = IntStream.range(0, 12).mapToLong(i -> i < 10 ? 1 : 3).toArray();
        net.add(1, Network.plain(1), storage(THREE, new HardState(3, 0, 10), logOfTerms(fresh)));
        net.add(2, Network.plain(2), storage(THREE, new HardState(3, 0, 10), logOfTerms(stale)));
        net.add(3, Network.plain(3), storage(THREE, new HardState(3, 0, 10), logOfTerms(fresh)));
        net.elect(1);
        net.tickAll(3);
        assertThat(net.log(2)).isEqualTo(net.log(1));
        // 50 divergent entries of one term cost one reject, not 50 round trips.
        long rejects = net.sentOfType(AppendResponse.class).stream().filter(r -> r.from() == 2 && r.reject()).count();
        assertThat(rejects).isLessThanOrEqualTo(2);

        net.sent.clear();
        net.tickAll(5);
        assertThat(net.sentOfType(Heartbeat.class)).isNotEmpty();
        assertThat(net.sentOfType(AppendEntries.class)).isEmpty();
    }

    @Test
    void bug13_snapshotRecordsIndexAndTermAndIsInstalled() {
        Network net = Network.of(3);
        net.elect(1);
        net.isolate(3);
        for (int i = 0; i < 5; i++) {
            net.node(1).propose(("v" + i).getBytes());
        }
        net.stabilize();
        long snapIndex = net.status(1).commit();
        long snapTerm = net.storages.get(1L).term(snapIndex);
        net.storages.get(1L).createSnapshot(snapIndex, "state".getBytes());
        net.storages.get(1L).compact(snapIndex);
        net.heal();
        net.tickAll(3);

        InstallSnapshot sent = net.sentOfType(InstallSnapshot.class).getFirst();
        assertThat(sent.to()).isEqualTo(3);
        assertThat(sent.snapshot().meta().index()).isEqualTo(snapIndex);
        assertThat(sent.snapshot().meta().term()).isEqualTo(snapTerm);
        Snapshot got = net.installed.get(3L).getFirst();
        assertThat(got.meta().index()).isEqualTo(snapIndex);
        assertThat(new String(got.data())).isEqualTo("state");
        assertThat(net.storages.get(3L).snapshotMeta()).isEqualTo(sent.snapshot().meta());
        assertThat(net.status(3).applied()).isEqualTo(snapIndex);

        long next = net.node(1).propose("after".getBytes());
        net.stabilize();
        // Node 3 applied the no-op before its partition, then the snapshot, then only what followed.
        assertThat(net.applied.get(3L)).extracting(Entry::index).containsExactly(1L, next);
        assertThat(net.status(1).peers().get(3L).match()).isEqualTo(next);
    }
}
