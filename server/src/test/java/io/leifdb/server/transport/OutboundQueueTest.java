package io.leifdb.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Entry;
import io.leifdb.raft.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-peer queue drops by bytes as well as by count, frees what it hands out, and never refuses a lone message. */
class OutboundQueueTest {

    private static Message.AppendEntries append(long index, int valueBytes) {
        return new Message.AppendEntries(1, 2, 1, index - 1, 1,
                List.of(Entry.normal(1, index, new byte[valueBytes])), 0);
    }

    private static Message.Heartbeat heartbeat() {
        return new Message.Heartbeat(1, 2, 1, 0, 0);
    }

    @Test
    void anAppendWeighsTheEntriesItCarries() {
        assertThat(OutboundQueue.weight(append(1, 1000))).isEqualTo(OutboundQueue.HEADER_BYTES + 1000 + 24);
        assertThat(OutboundQueue.weight(heartbeat())).isEqualTo(OutboundQueue.HEADER_BYTES);
    }

    @Test
    void messagesBeyondTheByteBoundAreRefusedThoughTheCountAllowsMore() {
        long one = OutboundQueue.weight(append(1, 1000));
        OutboundQueue q = new OutboundQueue(4096, 3 * one);
        for (int i = 1; i <= 3; i++) {
            assertThat(q.offer(append(i, 1000))).isTrue();
        }
        assertThat(q.offer(append(4, 1000))).isFalse();
        assertThat(q.offer(heartbeat())).as("even a small message waits for room").isFalse();
        assertThat(q.size()).isEqualTo(3);
        assertThat(q.bytes()).isEqualTo(3 * one);
    }

    @Test
    void takingMessagesOutFreesTheirBytes() throws InterruptedException {
        long one = OutboundQueue.weight(append(1, 1000));
        OutboundQueue q = new OutboundQueue(4096, 2 * one);
        q.offer(append(1, 1000));
        q.offer(append(2, 1000));
        assertThat(q.poll(0, TimeUnit.MILLISECONDS)).isNotNull();
        assertThat(q.bytes()).isEqualTo(one);
        assertThat(q.offer(append(3, 1000))).isTrue();
        List<Message> out = new ArrayList<>();
        assertThat(q.drainTo(out, 10)).isEqualTo(2);
        assertThat(q.bytes()).isZero();
        assertThat(q.offer(append(4, 1000))).isTrue();
    }

    @Test
    void aMessageLargerThanTheBoundIsTakenWhenNothingWaits() throws InterruptedException {
        OutboundQueue q = new OutboundQueue(4096, 100);
        assertThat(q.offer(append(1, 5000))).isTrue();
        assertThat(q.offer(append(2, 10))).as("behind it, nothing fits").isFalse();
        q.poll(0, TimeUnit.MILLISECONDS);
        assertThat(q.bytes()).isZero();
        assertThat(q.offer(append(2, 10))).isTrue();
    }

    @Test
    void theCountBoundStillHolds() {
        OutboundQueue q = new OutboundQueue(2, Long.MAX_VALUE);
        assertThat(q.offer(heartbeat())).isTrue();
        assertThat(q.offer(heartbeat())).isTrue();
        assertThat(q.offer(heartbeat())).isFalse();
        assertThat(q.bytes()).isEqualTo(2 * OutboundQueue.HEADER_BYTES);
    }
}
