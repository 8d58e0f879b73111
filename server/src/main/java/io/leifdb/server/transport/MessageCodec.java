package io.leifdb.server.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.FragmentAck;
import io.leifdb.raft.Message;
import io.leifdb.raft.Snapshot;
import io.leifdb.raft.SnapshotMeta;
import io.leifdb.raft.craft.Fragment;
import io.leifdb.server.transport.proto.RaftMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Converts every {@link Message} record to its protobuf envelope and back. Stateless and
 * thread-safe. Encoding wraps entry and snapshot bytes without copying, so the caller must not
 * mutate those arrays until the proto has been serialized (the Raft core never mutates them).
 * Decoding copies bytes out, because the records hold plain arrays.
 */
public final class MessageCodec {
    private MessageCodec() {
    }

    /** Encodes {@code m}; never throws for a well-formed record. */
    public static RaftMessage encode(Message m) {
        RaftMessage.Builder b = RaftMessage.newBuilder().setFrom(m.from()).setTo(m.to()).setTerm(m.term());
        switch (m) {
            case Message.AppendEntries a -> {
                var body = io.leifdb.server.transport.proto.AppendEntries.newBuilder()
                        .setPrevLogIndex(a.prevLogIndex()).setPrevLogTerm(a.prevLogTerm()).setCommit(a.commit());
                for (Entry e : a.entries()) body.addEntries(encodeEntry(e));
                b.setAppendEntries(body);
            }
            case Message.AppendResponse r -> {
                var body = io.leifdb.server.transport.proto.AppendResponse.newBuilder().setReject(r.reject())
                        .setIndex(r.index()).setHintIndex(r.hintIndex()).setHintTerm(r.hintTerm());
                for (FragmentAck h : r.held()) body.addHeld(encodeAck(h));
                b.setAppendResponse(body);
            }
            case Message.Heartbeat h -> b.setHeartbeat(io.leifdb.server.transport.proto.Heartbeat.newBuilder()
                    .setCommit(h.commit()).setReadContext(h.readContext()));
            case Message.HeartbeatResponse h -> b.setHeartbeatResponse(
                    io.leifdb.server.transport.proto.HeartbeatResponse.newBuilder().setReadContext(h.readContext()));
            case Message.RequestVote v -> b.setRequestVote(io.leifdb.server.transport.proto.RequestVote.newBuilder()
                    .setLastLogIndex(v.lastLogIndex()).setLastLogTerm(v.lastLogTerm())
                    .setPreVote(v.preVote()).setTransfer(v.transfer()));
            case Message.VoteResponse v -> b.setVoteResponse(io.leifdb.server.transport.proto.VoteResponse
                    .newBuilder().setGranted(v.granted()).setPreVote(v.preVote()));
            case Message.InstallSnapshot s -> b.setInstallSnapshot(
                    io.leifdb.server.transport.proto.InstallSnapshot.newBuilder()
                            .setMeta(encodeMeta(s.snapshot().meta()))
                            .setData(UnsafeByteOperations.unsafeWrap(s.snapshot().data())));
            case Message.TimeoutNow t -> b.setTimeoutNow(io.leifdb.server.transport.proto.TimeoutNow.getDefaultInstance());
            case Message.ReadIndexRequest r -> b.setReadIndexRequest(
                    io.leifdb.server.transport.proto.ReadIndexRequest.newBuilder().setContext(r.context()));
            case Message.ReadIndexResponse r -> b.setReadIndexResponse(
                    io.leifdb.server.transport.proto.ReadIndexResponse.newBuilder()
                            .setContext(r.context()).setIndex(r.index()));
            case Message.FragmentRequest f -> b.setFragmentRequest(
                    io.leifdb.server.transport.proto.FragmentRequest.newBuilder().setLo(f.lo()).setHi(f.hi()));
            case Message.FragmentResponse f -> {
                var body = io.leifdb.server.transport.proto.FragmentResponse.newBuilder()
                        .setLo(f.lo()).setCommit(f.commit());
                for (Entry e : f.entries()) body.addEntries(encodeEntry(e));
                b.setFragmentResponse(body);
            }
        }
        return b.build();
    }

    /**
     * Decodes an envelope.
     *
     * @throws IllegalArgumentException when no body is set, an entry type or ack kind is unknown,
     *                                  or a fragment's header disagrees with its data
     */
    public static Message decode(RaftMessage p) {
        long from = p.getFrom();
        long to = p.getTo();
        long term = p.getTerm();
        return switch (p.getBodyCase()) {
            case APPEND_ENTRIES -> {
                var a = p.getAppendEntries();
                List<Entry> entries = new ArrayList<>(a.getEntriesCount());
                for (var e : a.getEntriesList()) entries.add(decodeEntry(e));
                yield new Message.AppendEntries(from, to, term, a.getPrevLogIndex(), a.getPrevLogTerm(),
                        entries, a.getCommit());
            }
            case APPEND_RESPONSE -> {
                var r = p.getAppendResponse();
                List<FragmentAck> held = new ArrayList<>(r.getHeldCount());
                for (var h : r.getHeldList()) held.add(decodeAck(h));
                yield new Message.AppendResponse(from, to, term, r.getReject(), r.getIndex(),
                        r.getHintIndex(), r.getHintTerm(), held);
            }
            case HEARTBEAT -> new Message.Heartbeat(from, to, term, p.getHeartbeat().getCommit(),
                    p.getHeartbeat().getReadContext());
            case HEARTBEAT_RESPONSE -> new Message.HeartbeatResponse(from, to, term,
                    p.getHeartbeatResponse().getReadContext());
            case REQUEST_VOTE -> {
                var v = p.getRequestVote();
                yield new Message.RequestVote(from, to, term, v.getLastLogIndex(), v.getLastLogTerm(),
                        v.getPreVote(), v.getTransfer());
            }
            case VOTE_RESPONSE -> new Message.VoteResponse(from, to, term, p.getVoteResponse().getGranted(),
                    p.getVoteResponse().getPreVote());
            case INSTALL_SNAPSHOT -> {
                var s = p.getInstallSnapshot();
                yield new Message.InstallSnapshot(from, to, term,
                        new Snapshot(decodeMeta(s.getMeta()), s.getData().toByteArray()));
            }
            case TIMEOUT_NOW -> new Message.TimeoutNow(from, to, term);
            case READ_INDEX_REQUEST -> new Message.ReadIndexRequest(from, to, term,
                    p.getReadIndexRequest().getContext());
            case READ_INDEX_RESPONSE -> new Message.ReadIndexResponse(from, to, term,
                    p.getReadIndexResponse().getContext(), p.getReadIndexResponse().getIndex());
            case FRAGMENT_REQUEST -> new Message.FragmentRequest(from, to, term,
                    p.getFragmentRequest().getLo(), p.getFragmentRequest().getHi());
            case FRAGMENT_RESPONSE -> {
                var f = p.getFragmentResponse();
                List<Entry> entries = new ArrayList<>(f.getEntriesCount());
                for (var e : f.getEntriesList()) entries.add(decodeEntry(e));
                yield new Message.FragmentResponse(from, to, term, f.getLo(), f.getCommit(), entries);
            }
            case BODY_NOT_SET -> throw new IllegalArgumentException("raft message without a body");
        };
    }

    static io.leifdb.server.transport.proto.Entry encodeEntry(Entry e) {
        var b = io.leifdb.server.transport.proto.Entry.newBuilder()
                .setTerm(e.term()).setIndex(e.index()).setType(encodeType(e.type()))
                .setData(e.data().length == 0 ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(e.data()));
        if (e.type() == EntryType.FRAGMENT) {
            Fragment f = Fragment.fromBytes(e.data());
            b.setFragmentId(f.id()).setK(f.k()).setM(f.m()).setOriginalSize(f.codedLength());
        }
        return b.build();
    }

    static Entry decodeEntry(io.leifdb.server.transport.proto.Entry e) {
        EntryType type = decodeType(e.getType());
        byte[] data = e.getData().toByteArray();
        if (type == EntryType.FRAGMENT) {
            // A fragment whose header lies would be decoded with the wrong shards: check it.
            Fragment f = Fragment.fromBytes(data);
            if (!e.hasFragmentId() || e.getFragmentId() != f.id() || e.getK() != f.k() || e.getM() != f.m()
                    || e.getOriginalSize() != f.codedLength()) {
                throw new IllegalArgumentException("entry " + e.getIndex() + ": fragment header disagrees with " + f);
            }
        } else if (e.hasFragmentId()) {
            // A fragment decoded as a full entry would hand the state machine 1/k of a command.
            throw new IllegalArgumentException("entry " + e.getIndex() + " has a fragment header but type " + type);
        }
        return new Entry(e.getTerm(), e.getIndex(), type, data);
    }

    private static io.leifdb.server.transport.proto.FragmentAck encodeAck(FragmentAck h) {
        var kind = switch (h.kind()) {
            case FULL -> io.leifdb.server.transport.proto.FragmentAck.Kind.FULL;
            case FRAGMENT -> io.leifdb.server.transport.proto.FragmentAck.Kind.FRAGMENT;
            case COMMITTED -> io.leifdb.server.transport.proto.FragmentAck.Kind.COMMITTED;
        };
        return io.leifdb.server.transport.proto.FragmentAck.newBuilder().setLo(h.lo()).setHi(h.hi()).setKind(kind)
                .setK(h.k()).setM(h.m()).setFragmentId(h.fragmentId()).build();
    }

    private static FragmentAck decodeAck(io.leifdb.server.transport.proto.FragmentAck h) {
        FragmentAck.Kind kind = switch (h.getKind()) {
            case FULL -> FragmentAck.Kind.FULL;
            case FRAGMENT -> FragmentAck.Kind.FRAGMENT;
            case COMMITTED -> FragmentAck.Kind.COMMITTED;
            case UNRECOGNIZED -> throw new IllegalArgumentException("unknown fragment ack kind " + h.getKindValue());
        };
        return new FragmentAck(h.getLo(), h.getHi(), kind, h.getK(), h.getM(), h.getFragmentId());
    }

    static io.leifdb.server.transport.proto.SnapshotMeta encodeMeta(SnapshotMeta meta) {
        var conf = io.leifdb.server.transport.proto.ConfState.newBuilder()
                .addAllVoters(meta.conf().voters()).addAllLearners(meta.conf().learners());
        if (meta.conf().coding() != null) conf.setCoding(com.google.protobuf.ByteString.copyFrom(meta.conf().coding().toBytes()));
        return io.leifdb.server.transport.proto.SnapshotMeta.newBuilder()
                .setIndex(meta.index()).setTerm(meta.term()).setConf(conf).build();
    }

    static SnapshotMeta decodeMeta(io.leifdb.server.transport.proto.SnapshotMeta p) {
        var coding = p.getConf().getCoding().isEmpty() ? null
                : io.leifdb.raft.CodingParams.read(p.getConf().getCoding().asReadOnlyByteBuffer());
        var conf = new ConfState(new TreeSet<>(p.getConf().getVotersList()),
                new TreeSet<>(p.getConf().getLearnersList()), coding);
        return new SnapshotMeta(p.getIndex(), p.getTerm(), conf);
    }

    private static io.leifdb.server.transport.proto.EntryType encodeType(EntryType t) {
        return switch (t) {
            case NORMAL -> io.leifdb.server.transport.proto.EntryType.ENTRY_NORMAL;
            case NOOP -> io.leifdb.server.transport.proto.EntryType.ENTRY_NOOP;
            case CONFIG -> io.leifdb.server.transport.proto.EntryType.ENTRY_CONFIG;
            case FRAGMENT -> io.leifdb.server.transport.proto.EntryType.ENTRY_FRAGMENT;
        };
    }

    private static EntryType decodeType(io.leifdb.server.transport.proto.EntryType t) {
        return switch (t) {
            case ENTRY_NORMAL -> EntryType.NORMAL;
            case ENTRY_NOOP -> EntryType.NOOP;
            case ENTRY_CONFIG -> EntryType.CONFIG;
            case ENTRY_FRAGMENT -> EntryType.FRAGMENT;
            case UNRECOGNIZED -> throw new IllegalArgumentException("unknown entry type " + t.getNumber());
        };
    }
}
