package io.leifdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.leifdb.server.kv.Command;
import io.leifdb.server.kv.Precondition;
import io.leifdb.server.transport.ClusterIds;
import io.leifdb.server.transport.NodeIds;
import io.leifdb.server.transport.proto.AppendEntries;
import io.leifdb.server.transport.proto.Entry;
import io.leifdb.server.transport.proto.Heartbeat;
import io.leifdb.server.transport.proto.MessageBatch;
import io.leifdb.server.transport.proto.NodeInfo;
import io.leifdb.server.transport.proto.RaftMessage;
import io.leifdb.server.transport.proto.RaftTransportGrpc;
import io.leifdb.server.transport.proto.RequestVote;
import io.leifdb.server.transport.proto.StreamEnd;
import io.leifdb.server.transport.proto.TimeoutNow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's attacks, sent as real gRPC calls built with the generated stubs to a real 3-node
 * cluster: the cluster refuses them, keeps its leader and term, keeps serving, loses nothing,
 * and says so in its logs with the caller's address.
 */
class ForgedMessagesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STRANGER = 42;

    @TempDir
    Path dir;

    @Test
    void forgedRaftMessagesAndHellosAreRefusedAndTheClusterServesOn() throws Exception {
        try (TestCluster c = TestCluster.start(3, dir)) {
            int leader = c.awaitLeader();
            assertThat(Http.put(c.url(leader) + "/db/k", Http.valueJson("real")).status()).isEqualTo(200);
            JsonNode before = health(c, leader);
            long term = before.get("term").asLong();
            long last = before.get("commitIndex").asLong();
            long cluster = ClusterIds.of(List.of(c.memberNodes().split(",")));
            long leaderId = NodeIds.idOf(c.raftAddress(leader));
            List<ManagedChannel> channels = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    ManagedChannel ch = NettyChannelBuilder.forTarget(c.raftAddress(i)).usePlaintext().build();
                    channels.add(ch);
                    long to = NodeIds.idOf(c.raftAddress(i));
                    byte[] forged = new Command.Put("k", ("forged-" + i).getBytes(StandardCharsets.UTF_8),
                            new Precondition.None()).encode();
                    RaftMessage append = RaftMessage.newBuilder().setFrom(STRANGER).setTo(to).setTerm(term + 1)
                            .setAppendEntries(AppendEntries.newBuilder().setPrevLogIndex(last).setPrevLogTerm(term)
                                    .setCommit(last + 1).addEntries(Entry.newBuilder().setTerm(term + 1)
                                            .setIndex(last + 1).setData(ByteString.copyFrom(forged)))).build();
                    // A real member's id with a term no member reaches: term + 1 would overflow.
                    RaftMessage hugeTerm = RaftMessage.newBuilder().setFrom(leaderId == to ? NodeIds.idOf(
                            c.raftAddress((i + 1) % 3)) : leaderId).setTo(to).setTerm(Long.MAX_VALUE)
                            .setHeartbeat(Heartbeat.getDefaultInstance()).build();
                    RaftMessage fakeLeader = RaftMessage.newBuilder().setFrom(STRANGER).setTo(to).setTerm(term + 1)
                            .setHeartbeat(Heartbeat.newBuilder().setCommit(last)).build();
                    RaftMessage timeoutNow = RaftMessage.newBuilder().setFrom(STRANGER).setTo(to).setTerm(term)
                            .setTimeoutNow(TimeoutNow.getDefaultInstance()).build();
                    RaftMessage transferVote = RaftMessage.newBuilder().setFrom(STRANGER).setTo(to).setTerm(term + 1)
                            .setRequestVote(RequestVote.newBuilder().setLastLogIndex(last + 10).setLastLogTerm(term)
                                    .setTransfer(true)).build();
                    stream(ch, MessageBatch.newBuilder().setClusterId(cluster).addMessages(append)
                            .addMessages(hugeTerm).addMessages(fakeLeader).addMessages(timeoutNow)
                            .addMessages(transferVote).build());
                    // Everything again, but naming another cluster: the stream itself is refused.
                    assertThatThrownBy(() -> stream(ch, MessageBatch.newBuilder().setClusterId(cluster + 1)
                            .addMessages(append).build())).hasMessageContaining("PERMISSION_DENIED");
                    // A Hello claiming to be the leader with another HTTP address.
                    NodeInfo hello = NodeInfo.newBuilder().setClusterId(cluster).setId(leaderId)
                            .setRaftAddress("127.0.0.1:1").setHttpAddress("127.0.0.1:9").build();
                    if (i != leader) {
                        RaftTransportGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS).hello(hello);
                    } else { // claiming the receiver's own id
                        assertThatThrownBy(() -> RaftTransportGrpc.newBlockingStub(ch)
                                .withDeadlineAfter(5, TimeUnit.SECONDS).hello(hello)).hasMessageContaining("PERMISSION_DENIED");
                    }
                    NodeInfo stranger = hello.toBuilder().setId(STRANGER).build();
                    assertThatThrownBy(() -> RaftTransportGrpc.newBlockingStub(ch)
                            .withDeadlineAfter(5, TimeUnit.SECONDS).hello(stranger))
                            .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("PERMISSION_DENIED");
                }
            } finally {
                for (ManagedChannel ch : channels) ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }

            // The cluster still writes, every node still reads the real value, and nobody moved.
            assertThat(Http.put(c.url(leader) + "/db/k2", Http.valueJson("after")).status()).isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                int node = i;
                Http.Response r = await().atMost(Duration.ofSeconds(10))
                        .until(() -> Http.get(c.url(node) + "/db/k"), res -> res.status() != 503);
                assertThat(r.body()).contains("real").doesNotContain("forged");
                JsonNode h = health(c, i);
                assertThat(h.get("term").asLong()).as("node %d's term", i).isEqualTo(term);
                assertThat(h.get("leader").asLong()).isEqualTo(leaderId);
            }
            // A follower redirects to the leader's real HTTP address, not to the one a Hello claimed.
            int follower = (leader + 1) % 3;
            Http.Response redirect = Http.put(c.url(follower) + "/db/k3", Http.valueJson("x"));
            assertThat(redirect.status()).isEqualTo(307);
            assertThat(redirect.header("Location")).contains(c.httpAddress(leader));
            for (int i = 0; i < 3; i++) {
                String log = Files.readString(c.logFile(i));
                assertThat(log).as("node %d's log", i)
                        .containsPattern("refused AppendEntries from node 42 .*from 127\\.0\\.0\\.1:\\d+: NOT_A_MEMBER")
                        .containsPattern("refused Heartbeat from node \\d+ \\(term 9223372036854775807\\) from 127\\.0\\.0\\.1:\\d+: TERM_OUT_OF_RANGE")
                        .containsPattern("refused message stream from 127\\.0\\.0\\.1:\\d+: cluster id")
                        .containsPattern("refused Hello from 127\\.0\\.0\\.1:\\d+: node 42 is not a member");
            }
        }
    }

    /** Sends one batch on a fresh Stream call and waits for its end; throws when the call fails. */
    private static void stream(ManagedChannel ch, MessageBatch batch) throws Exception {
        CompletableFuture<StreamEnd> done = new CompletableFuture<>();
        StreamObserver<MessageBatch> call = RaftTransportGrpc.newStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                .stream(new StreamObserver<>() {
                    @Override
                    public void onNext(StreamEnd end) {
                        done.complete(end);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        call.onNext(batch);
        call.onCompleted();
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().toString(), e.getCause());
        }
    }

    private static JsonNode health(TestCluster c, int i) throws Exception {
        return JSON.readTree(c.health(i).orElseThrow());
    }
}
