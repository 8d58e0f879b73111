package io.leifdb.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.leifdb.raft.Message.AppendEntries;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Adaptive k by pace as well as lag ({@link VoterPace}): a follower that trails the others a steady
 * distance at their pace (a shared link) keeps k up, and one that falls further behind (a slow link)
 * brings it down, in both cases without stalling commits.
 */
class AdaptiveKPaceTest {
    private static final byte[] VALUE = "a value long enough to be cut into fragments, twice over".getBytes();
    private static final int ROUNDS = 200;
    private static final int MEASURED = 100;

    private record Held(long due, Message m) {
    }

    /**
     * Runs 200 ticks with one proposal per tick. AppendEntries to node 5 arrive {@code delay} ticks late,
     * and at most one every {@code gap} ticks; its heartbeats and every other message arrive at once.
     * Returns how many of the last 100 ticks the leader coded with each k (index k).
     */
    private static int[] run(int delay, int gap) {
        Network net = Network.of(5, c -> c.withPolicy(CraftPolicy.defaults()));
        net.elect(1);
        for (int i = 0; i < 8; i++) net.tickAll(1);
        Deque<Held> toFive = new ArrayDeque<>();
        long lastRelease = -gap;
        int[] seen = new int[4];
        for (long now = 0; now < ROUNDS; now++) {
            net.nodes.get(1L).propose(VALUE);
            net.nodes.values().forEach(RawNode::tick);
            List<Message> batch = net.take();
            while (!batch.isEmpty()) {
                for (Message m : batch) {
                    if (m.to() == 5 && m instanceof AppendEntries) {
                        toFive.add(new Held(now + delay, m));
                    } else if (net.nodes.containsKey(m.to())) {
                        net.deliver(m);
                    }
                }
                while (!toFive.isEmpty() && toFive.peek().due() <= now && now - lastRelease >= gap) {
                    net.deliver(toFive.poll().m());
                    lastRelease = gap > 1 ? now : -gap;
                }
                batch = net.take();
            }
            if (now >= ROUNDS - MEASURED) {
                seen[net.nodes.get(1L).codedDataShards()]++;
            }
        }
        Status s = net.status(1);
        assertThat(s.lastIndex() - s.commit()).as("commits keep up with the proposals").isLessThanOrEqualTo(delay + 2);
        return seen;
    }

    @Test
    void aFollowerTrailingAtTheOthersPaceKeepsKUp() {
        int[] seen = run(8, 1); // 8 ticks behind: past the lag bound (a window, 5 ticks), within two, at the others' pace
        assertThat(seen[3]).as("ticks coded with k = 3 of the last " + MEASURED).isGreaterThanOrEqualTo(90);
    }

    @Test
    void aFollowerFallingFurtherBehindIsCodedAround() {
        int[] seen = run(1, 3); // one append in three: a third of the others' pace
        assertThat(seen[2]).as("ticks coded with k = 2 of the last " + MEASURED).isGreaterThanOrEqualTo(90);
    }
}
