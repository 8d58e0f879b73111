package io.leifdb.server.transport;

import io.leifdb.raft.Entry;
import io.leifdb.raft.Message;
import io.leifdb.server.transport.proto.MessageBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class GrpcTransportTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    /** What a batch adds besides its messages: the cluster id. */
    private static final int BATCH_HEADER = MessageBatch.newBuilder().setClusterId(TransportFixture.CLUSTER).build()
            .getSerializedSize();
    private TransportFixture cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) cluster.close();
    }

    private static Message.AppendEntries append(long from, long to, long index) {
        return new Message.AppendEntries(from, to, 1, index - 1, 1,
                List.of(Entry.normal(1, index, ("v" + index).getBytes())), index - 1);
    }

    private static void awaitConnected(GrpcTransport from, long to) {
        await().atMost(BOUND).until(() -> from.isConnected(to));
    }

    /** Nodes 1 and 2, started, with 1's stream to 2 up; returns node 1's transport. */
    private GrpcTransport connectedPair() {
        cluster = new TransportFixture(2);
        GrpcTransport a = cluster.start(1);
        cluster.start(2);
        awaitConnected(a, 2);
        return a;
    }

    @Test
    void messagesToOnePeerArriveInSendOrder() {
        GrpcTransport a = connectedPair();

        List<Message> sent = new ArrayList<>();
        for (long i = 1; i <= 2000; i++) {
            Message m = append(1, 2, i);
            sent.add(m);
            a.send(m);
        }

        RecordingListener b = cluster.listener(2);
        await().atMost(BOUND).until(() -> b.messages.size() >= sent.size());
        assertThat(b.messages).containsExactlyElementsOf(sent);
        assertThat(a.stats().sent()).isEqualTo(2000);
        // Each message's encoding, plus its field tag and length prefix inside a batch (2 to 4 bytes), plus
        // each batch's cluster id: one batch per message at most, since each send may write at once.
        long encoded = sent.stream().mapToLong(m -> MessageCodec.encode(m).getSerializedSize()).sum();
        assertThat(a.stats().sentBytes()).isBetween(encoded + 2 * 2000 + BATCH_HEADER, encoded + (4 + BATCH_HEADER) * 2000);
        assertThat(a.stats().dropped()).isZero();
    }

    @Test
    void messagesSentTogetherToOnePeerGoInFewBatchesAndInOrder() {
        GrpcTransport a = connectedPair();

        List<Message> sent = new ArrayList<>();
        for (long i = 1; i <= 1000; i++) sent.add(append(1, 2, i));
        a.send(sent);

        RecordingListener b = cluster.listener(2);
        await().atMost(BOUND).until(() -> b.messages.size() >= sent.size());
        assertThat(b.messages).containsExactlyElementsOf(sent);
        // One batch when the stream took them at once; a few when they queued first. Never one per message.
        long encoded = sent.stream().mapToLong(m -> MessageCodec.encode(m).getSerializedSize()).sum();
        assertThat(a.stats().sentBytes()).isBetween(encoded + 2 * 1000 + BATCH_HEADER,
                encoded + 4 * 1000 + 100 * BATCH_HEADER);
    }

    @Test
    void threeNodesExchangeRequestsAndRepliesOnTheirOwnStreams() {
        cluster = new TransportFixture(3);
        GrpcTransport[] t = {null, cluster.start(1), cluster.start(2), cluster.start(3)};
        for (int from = 1; from <= 3; from++) {
            for (int to = 1; to <= 3; to++) if (from != to) awaitConnected(t[from], to);
        }

        // Node 1 campaigns; each voter answers on its own outbound stream back to node 1.
        for (long to = 2; to <= 3; to++) t[1].send(new Message.RequestVote(1, to, 5, 10, 4, false, false));
        for (long voter = 2; voter <= 3; voter++) {
            RecordingListener l = cluster.listener(voter);
            await().atMost(BOUND).until(() -> !l.received(Message.RequestVote.class).isEmpty());
            var vote = l.received(Message.RequestVote.class).getFirst();
            t[(int) voter].send(new Message.VoteResponse(voter, vote.from(), vote.term(), true, false));
        }

        RecordingListener leader = cluster.listener(1);
        await().atMost(BOUND).until(() -> leader.received(Message.VoteResponse.class).size() == 2);
        assertThat(leader.received(Message.VoteResponse.class))
                .extracting(Message::from).containsExactlyInAnyOrder(2L, 3L);
        assertThat(cluster.listener(2).received(Message.RequestVote.class)).allMatch(v -> v.to() == 2);
        assertThat(cluster.listener(3).received(Message.RequestVote.class)).allMatch(v -> v.to() == 3);
    }

    @Test
    void helloTeachesEachMemberTheOthersHttpAddress() {
        cluster = new TransportFixture(3);
        GrpcTransport a = cluster.start(1);
        GrpcTransport b = cluster.start(2);
        cluster.start(3);

        await().atMost(BOUND).untilAsserted(() -> {
            assertThat(a.httpAddressOf(2)).contains(TransportFixture.httpAddressOf(2));
            assertThat(a.httpAddressOf(3)).contains(TransportFixture.httpAddressOf(3));
            assertThat(b.httpAddressOf(1)).contains(TransportFixture.httpAddressOf(1));
        });
        assertThat(a.httpAddressOf(1)).contains(TransportFixture.httpAddressOf(1));
        assertThat(a.httpAddressOf(99)).isEmpty();
    }

    @Test
    void sendToADownPeerDropsWithoutBlockingThenFlowsOnceItComesUp() {
        cluster = new TransportFixture(2);
        GrpcTransport a = cluster.start(1);

        // Peer 2 is down: every send returns at once and is counted as dropped.
        for (long i = 1; i <= 500; i++) a.send(append(1, 2, i));
        assertThat(a.stats().dropped()).isEqualTo(500);
        assertThat(a.stats().sent()).isZero();
        assertThat(a.isConnected(2)).isFalse();

        cluster.start(2);
        awaitConnected(a, 2);
        a.send(append(1, 2, 501));
        RecordingListener b = cluster.listener(2);
        await().atMost(BOUND).until(() -> b.messages.size() == 1);
        assertThat(((Message.AppendEntries) b.messages.getFirst()).prevLogIndex()).isEqualTo(500);
    }

    @Test
    void aPeerThatRestartsIsReportedUnreachableAndThenReconnected() {
        cluster = new TransportFixture(2);
        GrpcTransport a = cluster.start(1);
        GrpcTransport b = cluster.start(2);
        awaitConnected(a, 2);

        b.close();
        RecordingListener la = cluster.listener(1);
        await().atMost(BOUND).until(() -> la.unreachable.contains(2L));
        assertThat(a.isConnected(2)).isFalse();

        cluster.start(2); // same address, new process
        awaitConnected(a, 2);
        a.send(new Message.Heartbeat(1, 2, 3, 7, 0));
        RecordingListener b2 = cluster.listener(2);
        await().atMost(BOUND).until(() -> b2.messages.size() == 1);
        assertThat(b2.messages.getFirst()).isEqualTo(new Message.Heartbeat(1, 2, 3, 7, 0));
    }

    @Test
    void aStalledPeerFillsTheBoundedQueueAndLaterMessagesAreDropped() {
        cluster = new TransportFixture(2);
        GrpcTransport a = cluster.start(1, TransportFixture.fast().withQueueCapacity(4));
        cluster.start(2);
        awaitConnected(a, 2);
        RecordingListener b = cluster.listener(2);
        CountDownLatch stall = new CountDownLatch(1);
        b.gate = stall;

        // 1 MiB entries: flow control stops the sender long before 64 of them are written.
        byte[] big = new byte[1 << 20];
        int total = 64;
        try {
            for (long i = 1; i <= total; i++) {
                a.send(new Message.AppendEntries(1, 2, 1, i - 1, 1, List.of(Entry.normal(1, i, big)), 0));
            }
            assertThat(a.stats().dropped()).isPositive();
        } finally {
            stall.countDown();
        }

        long delivered = total - a.stats().dropped();
        await().atMost(BOUND).until(() -> b.messages.size() == delivered);
        // What arrives is a subsequence of what was sent, still in order.
        List<Long> indexes = b.received(Message.AppendEntries.class).stream()
                .map(m -> m.entries().getFirst().index()).toList();
        assertThat(indexes).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void messagesForUnknownPeersOrSelfAreDroppedAndCounted() {
        cluster = new TransportFixture(2);
        GrpcTransport a = cluster.start(1);
        a.send(new Message.TimeoutNow(1, 42, 1));
        a.send(new Message.TimeoutNow(1, 1, 1));
        assertThat(a.stats().dropped()).isEqualTo(2);
    }

    @Test
    void aRemovedPeerIsNoLongerDialledAndOneAddedBackIsReachedAgain() {
        GrpcTransport a = connectedPair();
        String address = a.peerAddress(2).orElseThrow();

        a.removePeer(2);
        assertThat(a.peerAddress(2)).isEmpty();
        assertThat(a.isConnected(2)).isFalse();
        long dropped = a.stats().dropped();
        a.send(append(1, 2, 1));
        assertThat(a.stats().dropped()).isEqualTo(dropped + 1);
        assertThat(cluster.listener(2).messages).isEmpty();

        a.setPeerAddress(2, address);
        awaitConnected(a, 2);
        a.send(append(1, 2, 2));
        RecordingListener b = cluster.listener(2);
        await().atMost(BOUND).until(() -> !b.messages.isEmpty());
        assertThat(b.received(Message.AppendEntries.class)).extracting(m -> m.entries().getFirst().index()).containsExactly(2L);
    }
}
