package io.leifdb.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Message.AppendEntries;
import io.leifdb.raft.Message.AppendResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pipelined, flow-controlled replication: the inflight window by count and by bytes, and byte-bounded batches. */
class FlowControlTest {

    @Test
    void pipeliningStopsAtTheInflightWindow() {
        Network net = Network.of(2, c -> c.withFlowControl(1 << 20, 3));
        net.elect(1);
        net.dropIf(m -> m instanceof AppendResponse);
        net.sent.clear();
        for (int i = 0; i < 10; i++) {
            net.node(1).propose(("p" + i).getBytes());
            net.stabilize();
        }
        List<AppendEntries> withEntries = net.sentOfType(AppendEntries.class).stream()
                .filter(a -> !a.entries().isEmpty()).toList();
        assertThat(withEntries).hasSize(3); // one per proposal until the window of 3 is full
        assertThat(net.status(1).peers().get(2L).state()).isEqualTo("REPLICATE");
    }

    @Test
    void windowReopensAsAcknowledgementsArrive() {
        Network net = Network.of(2, c -> c.withFlowControl(1 << 20, 2));
        net.elect(1);
        long last = 0;
        for (int i = 0; i < 10; i++) {
            last = net.node(1).propose(("p" + i).getBytes());
        }
        net.stabilize();
        assertThat(net.status(1).commit()).isEqualTo(last);
        assertThat(net.status(2).lastIndex()).isEqualTo(last);
    }

    @Test
    void batchesAreBoundedByMaxSizePerMsgBytes() {
        long limit = 3 * (100 + 24);
        Network net = Network.of(3, c -> c.withFlowControl(limit, 256));
        net.elect(1);
        net.isolate(3);
        for (int i = 0; i < 10; i++) {
            net.node(1).propose(new byte[100]);
        }
        net.stabilize();
        net.heal();
        net.sent.clear();
        net.tickAll(2);
        List<AppendEntries> toThree = net.sentOfType(AppendEntries.class).stream()
                .filter(a -> a.to() == 3 && !a.entries().isEmpty()).toList();
        assertThat(toThree).hasSizeGreaterThanOrEqualTo(4);
        assertThat(toThree).allSatisfy(a ->
                assertThat(a.entries().stream().mapToLong(Entry::sizeBytes).sum()).isLessThanOrEqualTo(limit));
        assertThat(net.status(3).lastIndex()).isEqualTo(net.status(1).lastIndex());
    }

    @Test
    void anOversizedEntryStillTravelsAlone() {
        Network net = Network.of(2, c -> c.withFlowControl(10, 256));
        net.elect(1);
        long index = net.node(1).propose(new byte[500]);
        net.stabilize();
        assertThat(net.status(2).commit()).isEqualTo(index);
    }

    @Test
    void aPeerWithAnAppendInFlightLearnsTheCommitFromItsReplyNotFromAnExtraMessage() {
        Network net = Network.of(3);
        net.elect(1);
        net.stabilize();
        long index = net.node(1).propose("x".getBytes());
        List<Message> appends = net.take();
        appends.forEach(net::deliver);
        List<Message> replies = net.take();
        Message fromTwo = replies.stream().filter(m -> m.from() == 2).findFirst().orElseThrow();
        Message fromThree = replies.stream().filter(m -> m.from() == 3).findFirst().orElseThrow();

        net.deliver(fromTwo); // leader + 2 commit the entry
        assertThat(net.status(1).commit()).isEqualTo(index);
        List<Message> afterCommit = net.take();
        assertThat(afterCommit).noneMatch(m -> m.to() == 3); // 3's reply is still due: no empty append for it
        assertThat(afterCommit).anyMatch(m -> m instanceof AppendEntries a && a.to() == 2 && a.commit() == index);

        net.deliver(fromThree);
        List<AppendEntries> toThree = net.take().stream()
                .filter(m -> m instanceof AppendEntries a && a.to() == 3).map(m -> (AppendEntries) m).toList();
        assertThat(toThree).singleElement().satisfies(a -> assertThat(a.commit()).isEqualTo(index));
    }

    private static final long ENTRY = 100 + 24; // a 100-byte proposal as the window counts it

    private static List<AppendEntries> withEntriesTo(List<? extends Message> sent, long to) {
        return sent.stream().filter(m -> m instanceof AppendEntries a && a.to() == to && !a.entries().isEmpty())
                .map(m -> (AppendEntries) m).toList();
    }

    private static long bytes(AppendEntries a) {
        return a.entries().stream().mapToLong(Entry::sizeBytes).sum();
    }

    @Test
    void pipeliningStopsWhenTheBytesInFlightReachTheBudget() {
        Network net = Network.of(2, c -> c.withFlowControl(1 << 20, 256).withMaxInflightBytes(3 * ENTRY));
        net.elect(1);
        net.dropIf(m -> m instanceof AppendResponse);
        net.sent.clear();
        for (int i = 0; i < 10; i++) {
            net.node(1).propose(new byte[100]);
            net.stabilize();
        }
        assertThat(withEntriesTo(net.sent, 2)).hasSize(3); // 256 messages allowed, but 3 of them fill the bytes
        assertThat(net.status(1).peers().get(2L).state()).isEqualTo("REPLICATE");
    }

    @Test
    void anAcknowledgementFreesTheBytesItCovers() {
        Network net = Network.of(2, c -> c.withFlowControl(ENTRY, 256).withMaxInflightBytes(3 * ENTRY));
        net.elect(1);
        long last = 0;
        List<AppendEntries> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            last = net.node(1).propose(new byte[100]);
            first.addAll(withEntriesTo(net.take(), 2)); // each Ready flushes its proposals with one append
        }
        assertThat(first).hasSize(3);
        first.forEach(net::deliver);
        List<Message> acks = net.take();
        net.deliver(acks.getFirst()); // frees one message's bytes: exactly one more goes
        List<AppendEntries> next = withEntriesTo(net.take(), 2);
        assertThat(next).singleElement().satisfies(a -> assertThat(a.entries().getFirst().index())
                .isEqualTo(first.getLast().entries().getLast().index() + 1));
        acks.stream().skip(1).forEach(net::deliver);
        next.forEach(net::deliver);
        net.stabilize();
        assertThat(net.status(1).commit()).isEqualTo(last);
        assertThat(net.status(2).lastIndex()).isEqualTo(last);
    }

    @Test
    void aMessageLargerThanTheBudgetStillGoesAloneWhenNothingIsInFlight() {
        Network net = Network.of(2, c -> c.withFlowControl(1, 256).withMaxInflightBytes(100)); // one entry a message
        net.elect(1);
        net.node(1).propose(new byte[500]);
        List<AppendEntries> sent = withEntriesTo(net.take(), 2);
        assertThat(sent).singleElement().satisfies(a -> assertThat(bytes(a)).isGreaterThan(100));
        long second = net.node(1).propose(new byte[500]);
        assertThat(withEntriesTo(net.take(), 2)).as("the window is over budget until the first is acknowledged").isEmpty();
        sent.forEach(net::deliver);
        net.take().forEach(net::deliver); // its acknowledgement empties the window: the second goes
        List<AppendEntries> then = withEntriesTo(net.take(), 2);
        assertThat(then).singleElement().satisfies(a -> assertThat(a.entries().getFirst().index()).isEqualTo(second));
        then.forEach(net::deliver);
        net.stabilize();
        assertThat(net.status(1).commit()).isEqualTo(second);
    }

    @Test
    void aCraftFragmentCountsItsOwnSizeNotTheWholeEntrys() {
        byte[] value = new byte[3000];
        long whole = value.length + 24;
        Network net = Network.of(5, c -> c.withPolicy(CraftPolicy.defaults()).withMaxInflightBytes(whole));
        CraftReplicationTest.electCoded(net, 1);
        net.dropIf(m -> m instanceof AppendResponse);
        net.sent.clear();
        for (int i = 0; i < 8; i++) {
            net.node(1).propose(value);
            net.stabilize();
        }
        List<AppendEntries> toTwo = withEntriesTo(net.sent, 2);
        assertThat(toTwo).allSatisfy(a -> assertThat(a.entries()).allMatch(e -> e.type() == EntryType.FRAGMENT));
        // Counted whole, one entry would fill the window; counted as sent, fragments go until they fill it.
        assertThat(toTwo).hasSizeGreaterThan(1);
        long allButLast = toTwo.subList(0, toTwo.size() - 1).stream().mapToLong(FlowControlTest::bytes).sum();
        assertThat(allButLast).isLessThan(whole);
        assertThat(allButLast + bytes(toTwo.getLast())).isGreaterThanOrEqualTo(whole);
    }
}
