package io.leifdb.server.transport;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.FragmentAck;
import io.leifdb.raft.Message;
import io.leifdb.raft.Snapshot;
import io.leifdb.raft.SnapshotMeta;
import io.leifdb.raft.craft.Fragment;
import io.leifdb.server.transport.proto.RaftMessage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageCodecTest {
    /** Through bytes, as on the wire, not just through the builder. */
    private static Message roundTrip(Message m) throws Exception {
        byte[] wire = MessageCodec.encode(m).toByteArray();
        return MessageCodec.decode(RaftMessage.parseFrom(wire));
    }

    @Test
    void everyMessageTypeSurvivesTheWire() throws Exception {
        byte[] payload = "put k v".getBytes();
        Entry fragment = fragment(7, 14, 2);
        ConfState conf = ConfState.of(Set.of(1L, 2L, 3L), Set.of(9L));
        List<Message> all = List.of(
                new Message.AppendEntries(1, 2, 7, 10, 6,
                        List.of(Entry.normal(7, 11, payload), Entry.noop(7, 12),
                                new Entry(7, 13, EntryType.CONFIG, "conf".getBytes()), fragment), 9),
                new Message.AppendResponse(2, 1, 7, true, 10, 8, 5),
                new Message.AppendResponse(2, 1, 7, false, 13, 0, 0),
                new Message.AppendResponse(2, 1, 7, false, 14, 0, 0, List.of(FragmentAck.committed(9),
                        FragmentAck.full(10, 12), FragmentAck.fragment(13, 14, 3, 2, 4))),
                new Message.Heartbeat(1, 3, 7, 12, -42L),
                new Message.HeartbeatResponse(3, 1, 7, Long.MIN_VALUE),
                new Message.RequestVote(2, 3, 8, 13, 7, true, false),
                new Message.RequestVote(2, 3, 8, 13, 7, false, true),
                new Message.VoteResponse(3, 2, 8, true, true),
                new Message.InstallSnapshot(1, 2, 7, new Snapshot(new SnapshotMeta(100, 6, conf), new byte[]{1, 2})),
                new Message.TimeoutNow(1, 2, 7),
                new Message.ReadIndexRequest(2, 1, 7, 0xCAFEBABEL),
                new Message.ReadIndexResponse(1, 2, 7, 0xCAFEBABEL, 12),
                new Message.FragmentRequest(1, 3, 8, 10, 14),
                new Message.FragmentResponse(3, 1, 8, 10, 9, List.of(Entry.normal(7, 10, payload), fragment)));
        for (Message m : all) {
            assertThat(roundTrip(m)).as(m.getClass().getSimpleName()).usingRecursiveComparison().isEqualTo(m);
        }
        // Every record of the sealed interface is covered above.
        assertThat(all.stream().map(Object::getClass).distinct().count())
                .isEqualTo(Message.class.getPermittedSubclasses().length);
    }

    @Test
    void appendEntriesWithoutEntriesIsAProbe() throws Exception {
        var probe = new Message.AppendEntries(1, 2, 3, 40, 2, List.of(), 39);
        var back = (Message.AppendEntries) roundTrip(probe);
        assertThat(back.entries()).isEmpty();
        assertThat(back).isEqualTo(probe);
    }

    @Test
    void largeEntriesKeepEveryByte() throws Exception {
        byte[] big = new byte[8 << 20];
        new Random(7).nextBytes(big);
        var m = new Message.AppendEntries(1, 2, 3, 0, 0, List.of(Entry.normal(3, 1, big), Entry.normal(3, 2, new byte[0])), 0);
        var back = (Message.AppendEntries) roundTrip(m);
        assertThat(back.entries().get(0).data()).isEqualTo(big).isNotSameAs(big);
        assertThat(back.entries().get(1).data()).isEmpty();
    }

    @Test
    void emptySnapshotDataAndMembershipRoundTrip() throws Exception {
        var m = new Message.InstallSnapshot(1, 2, 4, new Snapshot(new SnapshotMeta(5, 4, ConfState.of(Set.of())), null));
        var back = (Message.InstallSnapshot) roundTrip(m);
        assertThat(back.snapshot().data()).isEmpty();
        assertThat(back.snapshot().meta()).isEqualTo(m.snapshot().meta());
    }

    private static Entry fragment(long term, long index, int id) {
        byte[] shard = new byte[]{9, 8, 7, 6};
        return new Entry(term, index, EntryType.FRAGMENT,
                new Fragment(3, 2, id, "key".getBytes(), 11, shard).toBytes());
    }

    private static RaftMessage appendOf(io.leifdb.server.transport.proto.Entry entry) {
        return RaftMessage.newBuilder().setFrom(1).setTo(2).setTerm(1)
                .setAppendEntries(io.leifdb.server.transport.proto.AppendEntries.newBuilder().addEntries(entry)).build();
    }

    @Test
    void fragmentEntryCarriesItsHeaderAndKeepsEveryByte() throws Exception {
        Entry f = fragment(4, 5, 3);
        var wire = MessageCodec.encodeEntry(f);
        assertThat(wire.getFragmentId()).isEqualTo(3);
        assertThat(wire.getK()).isEqualTo(3);
        assertThat(wire.getM()).isEqualTo(2);
        assertThat(wire.getOriginalSize()).isEqualTo(11);
        var back = (Message.AppendEntries) MessageCodec.decode(RaftMessage.parseFrom(appendOf(wire).toByteArray()));
        assertThat(back.entries().get(0).data()).isEqualTo(f.data());
        assertThat(Fragment.fromBytes(back.entries().get(0).data())).isEqualTo(Fragment.fromBytes(f.data()));
    }

    @Test
    void fragmentHeaderOnAFullEntryIsRejected() {
        // A fragment decoded as a full entry would hand the state machine 1/k of a command.
        var entry = MessageCodec.encodeEntry(Entry.normal(1, 1, new byte[]{1})).toBuilder()
                .setFragmentId(2).setK(3).setM(2).setOriginalSize(3).build();
        assertThatThrownBy(() -> MessageCodec.decode(appendOf(entry))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fragment");
    }

    @Test
    void fragmentWhoseHeaderDisagreesWithItsDataIsRejected() {
        var lying = MessageCodec.encodeEntry(fragment(1, 1, 2)).toBuilder().setFragmentId(0).build();
        assertThatThrownBy(() -> MessageCodec.decode(appendOf(lying))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("disagrees");
        var headerless = MessageCodec.encodeEntry(fragment(1, 1, 2)).toBuilder().clearFragmentId().build();
        assertThatThrownBy(() -> MessageCodec.decode(appendOf(headerless)))
                .isInstanceOf(IllegalArgumentException.class);
        var truncated = MessageCodec.encodeEntry(fragment(1, 1, 2)).toBuilder()
                .setData(com.google.protobuf.ByteString.copyFrom(new byte[]{1, 0, 0})).build();
        assertThatThrownBy(() -> MessageCodec.decode(appendOf(truncated)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownAckKindIsRejected() {
        var ack = io.leifdb.server.transport.proto.FragmentAck.newBuilder().setKindValue(7).build();
        var p = RaftMessage.newBuilder().setAppendResponse(
                io.leifdb.server.transport.proto.AppendResponse.newBuilder().addHeld(ack)).build();
        assertThatThrownBy(() -> MessageCodec.decode(p)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messageWithoutBodyIsRejected() {
        var p = RaftMessage.newBuilder().setFrom(1).setTo(2).build();
        assertThatThrownBy(() -> MessageCodec.decode(p)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownEntryTypeIsRejected() {
        var entry = io.leifdb.server.transport.proto.Entry.newBuilder().setIndex(1).setTypeValue(99).build();
        var p = RaftMessage.newBuilder().setAppendEntries(
                io.leifdb.server.transport.proto.AppendEntries.newBuilder().addEntries(entry)).build();
        assertThatThrownBy(() -> MessageCodec.decode(p)).isInstanceOf(IllegalArgumentException.class);
    }
}
