package io.leifdb.server.transport;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Message;
import io.leifdb.server.kv.SnapshotChunk;
import io.leifdb.raft.Snapshot;
import io.leifdb.raft.SnapshotMeta;
import io.leifdb.server.transport.RecordingListener.ListSource;
import io.leifdb.server.transport.RecordingListener.MemorySink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SnapshotTransferTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final Message.InstallSnapshot HEADER = new Message.InstallSnapshot(1, 2, 9,
            new Snapshot(new SnapshotMeta(500, 8, ConfState.of(Set.of(1L, 2L, 3L))), null));

    private TransportFixture cluster;
    private GrpcTransport leader;
    private RecordingListener leaderEvents;
    private RecordingListener followerEvents;

    @BeforeEach
    void startTwoNodes() {
        cluster = new TransportFixture(2);
        leader = cluster.start(1);
        cluster.start(2);
        leaderEvents = cluster.listener(1);
        followerEvents = cluster.listener(2);
        // A transfer started before the channel is up fails fast (UNAVAILABLE), as it should.
        await().atMost(BOUND).until(() -> leader.isConnected(2));
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Splits {@code data} into chunks of {@code size}, the last one flagged. */
    private static List<SnapshotChunk> chunks(String file, byte[] data, int size) {
        List<SnapshotChunk> out = new ArrayList<>();
        for (int off = 0; off < data.length; off += size) {
            byte[] piece = Arrays.copyOfRange(data, off, Math.min(data.length, off + size));
            out.add(SnapshotChunk.of(file, off, piece, off + size >= data.length));
        }
        return out;
    }

    private void awaitResult() {
        await().atMost(BOUND).until(() -> leaderEvents.snapshotResults.containsKey(2L));
    }

    @Test
    void filesArriveWholeAndTheCoreSeesTheHeaderOnlyAfterFinish() {
        byte[] sst = random(3 * 300_000 + 17, 1);
        byte[] manifest = random(1234, 2);
        List<SnapshotChunk> all = new ArrayList<>(chunks("000012.sst", sst, 300_000));
        all.addAll(chunks("MANIFEST-000005", manifest, 64 * 1024));
        all.add(SnapshotChunk.of("EMPTY", 0, new byte[0], true));
        ListSource source = new ListSource(all);

        leader.sendSnapshot(HEADER, source);

        awaitResult();
        assertThat(leaderEvents.snapshotResults).containsEntry(2L, true);
        assertThat(source.closed).isTrue();
        MemorySink sink = followerEvents.sinks.getFirst();
        assertThat(sink.finished).isTrue();
        assertThat(sink.aborted).isFalse();
        assertThat(sink.files.get("000012.sst").toByteArray()).isEqualTo(sst);
        assertThat(sink.files.get("MANIFEST-000005").toByteArray()).isEqualTo(manifest);
        assertThat(sink.files.get("EMPTY").toByteArray()).isEmpty();
        assertThat(sink.chunks).hasSize(all.size());
        assertThat(followerEvents.received(Message.InstallSnapshot.class)).singleElement()
                .usingRecursiveComparison().isEqualTo(HEADER);
    }

    @Test
    void aChunkWithTheWrongCrcIsRejectedAndNothingIsInstalled() {
        byte[] data = random(200_000, 3);
        List<SnapshotChunk> all = new ArrayList<>(chunks("000012.sst", data, 50_000));
        SnapshotChunk good = all.get(2);
        all.set(2, new SnapshotChunk(good.file(), good.offset(), good.data(), good.crc32c() ^ 1, good.last()));
        ListSource source = new ListSource(all);

        leader.sendSnapshot(HEADER, source);

        awaitResult();
        assertThat(leaderEvents.snapshotResults).containsEntry(2L, false);
        assertThat(source.closed).isTrue();
        MemorySink sink = followerEvents.sinks.getFirst();
        assertThat(sink.aborted).isTrue();
        assertThat(sink.finished).isFalse();
        assertThat(sink.chunks).hasSize(2);
        assertThat(followerEvents.received(Message.InstallSnapshot.class)).isEmpty();
    }

    @Test
    void aGapInAFileIsRejected() {
        byte[] data = random(90_000, 4);
        List<SnapshotChunk> all = new ArrayList<>(chunks("a.sst", data, 30_000));
        all.remove(1);

        leader.sendSnapshot(HEADER, new ListSource(all));

        awaitResult();
        assertThat(leaderEvents.snapshotResults).containsEntry(2L, false);
        assertThat(followerEvents.sinks.getFirst().aborted).isTrue();
        assertThat(followerEvents.received(Message.InstallSnapshot.class)).isEmpty();
    }

    @Test
    void aFileWithoutItsLastChunkIsRejected() {
        byte[] data = random(60_000, 5);
        List<SnapshotChunk> all = new ArrayList<>(chunks("a.sst", data, 30_000));
        all.removeLast();

        leader.sendSnapshot(HEADER, new ListSource(all));

        awaitResult();
        assertThat(leaderEvents.snapshotResults).containsEntry(2L, false);
        assertThat(followerEvents.sinks.getFirst().finished).isFalse();
        assertThat(followerEvents.received(Message.InstallSnapshot.class)).isEmpty();
    }

    @Test
    void aReceiverThatCannotOpenASinkFailsTheTransfer() {
        followerEvents.refuseSnapshots = true;

        leader.sendSnapshot(HEADER, new ListSource(chunks("a.sst", random(10, 6), 10)));

        awaitResult();
        assertThat(leaderEvents.snapshotResults).containsEntry(2L, false);
        assertThat(followerEvents.sinks).isEmpty();
    }

    @Test
    void aSourceThatFailsToReadFailsTheTransferAndAbortsTheSink() {
        SnapshotSource broken = new SnapshotSource() {
            private int calls;

            @Override
            public SnapshotChunk next() throws IOException {
                if (calls++ == 0) return SnapshotChunk.of("a.sst", 0, new byte[]{1, 2, 3}, false);
                // Fail only once the follower has a sink open, so there is staged state to throw away.
                await().atMost(BOUND).until(() -> !followerEvents.sinks.isEmpty());
                throw new IOException("disk read failed");
            }

            @Override
            public void close() {
            }
        };

        leader.sendSnapshot(HEADER, broken);

        awaitResult();
        assertThat(leaderEvents.snapshotResults).containsEntry(2L, false);
        await().atMost(BOUND).until(() -> !followerEvents.sinks.isEmpty() && followerEvents.sinks.getFirst().aborted);
        assertThat(followerEvents.received(Message.InstallSnapshot.class)).isEmpty();
    }

    @Test
    void aSecondTransferToTheSamePeerIsRefusedWhileTheFirstRuns() {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        SnapshotSource slow = new SnapshotSource() {
            private boolean sent;

            @Override
            public SnapshotChunk next() throws IOException {
                if (sent) return null;
                try {
                    release.await(BOUND.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                sent = true;
                return SnapshotChunk.of("a.sst", 0, new byte[]{4, 2}, true);
            }

            @Override
            public void close() {
            }
        };
        ListSource second = new ListSource(chunks("b.sst", random(10, 7), 10));

        leader.sendSnapshot(HEADER, slow);
        leader.sendSnapshot(HEADER, second);
        assertThat(second.closed).isTrue();
        assertThat(leaderEvents.snapshotResults).isEmpty();
        release.countDown();

        awaitResult();
        assertThat(leaderEvents.snapshotResults).containsEntry(2L, true);
        assertThat(followerEvents.sinks).singleElement()
                .satisfies(sink -> assertThat(sink.files).containsOnlyKeys("a.sst"));
    }

    @Test
    void aSnapshotToAnUnknownPeerFailsAndClosesTheSource() {
        ListSource source = new ListSource(List.of());
        var header = new Message.InstallSnapshot(1, 77, 9, HEADER.snapshot());

        leader.sendSnapshot(header, source);

        await().atMost(BOUND).until(() -> leaderEvents.snapshotResults.containsKey(77L));
        assertThat(leaderEvents.snapshotResults).containsEntry(77L, false);
        assertThat(source.closed).isTrue();
    }
}
