package io.leifdb.server.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.leifdb.raft.ConfState;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.Message;
import io.leifdb.raft.Snapshot;
import io.leifdb.raft.SnapshotMeta;
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
            case Message.AppendResponse r -> b.setAppendResponse(io.leifdb.server.transport.proto.AppendResponse
                    .newBuilder().setReject(r.reject()).setIndex(r.index())
                    .setHintIndex(r.hintIndex()).setHintTerm(r.hintTerm()));
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
        }
        return b.build();
    }

    /**
     * Decodes an envelope.
     *
     * @throws IllegalArgumentException when no body is set, an entry type is unknown, or an entry
     *                                  is an erasure-coded fragment (not supported by this version)
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
                yield new Message.AppendResponse(from, to, term, r.getReject(), r.getIndex(),
                        r.getHintIndex(), r.getHintTerm());
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
            case BODY_NOT_SET -> throw new IllegalArgumentException("raft message without a body");
        };
    }

    static io.leifdb.server.transport.proto.Entry encodeEntry(Entry e) {
        return io.leifdb.server.transport.proto.Entry.newBuilder()
                .setTerm(e.term()).setIndex(e.index()).setType(encodeType(e.type()))
                .setData(e.data().length == 0 ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(e.data()))
                .build();
    }

    static Entry decodeEntry(io.leifdb.server.transport.proto.Entry e) {
        if (e.hasFragmentId()) {
            // A fragment decoded as a full entry would hand the state machine 1/k of a command.
            throw new IllegalArgumentException("entry " + e.getIndex() + " is an erasure-coded fragment");
        }
        return new Entry(e.getTerm(), e.getIndex(), decodeType(e.getType()), e.getData().toByteArray());
    }

    static io.leifdb.server.transport.proto.SnapshotMeta encodeMeta(SnapshotMeta meta) {
        var conf = io.leifdb.server.transport.proto.ConfState.newBuilder()
                .addAllVoters(meta.conf().voters()).addAllLearners(meta.conf().learners());
        return io.leifdb.server.transport.proto.SnapshotMeta.newBuilder()
                .setIndex(meta.index()).setTerm(meta.term()).setConf(conf).build();
    }

    static SnapshotMeta decodeMeta(io.leifdb.server.transport.proto.SnapshotMeta p) {
        var conf = new ConfState(new TreeSet<>(p.getConf().getVotersList()),
                new TreeSet<>(p.getConf().getLearnersList()));
        return new SnapshotMeta(p.getIndex(), p.getTerm(), conf);
    }

    private static io.leifdb.server.transport.proto.EntryType encodeType(EntryType t) {
        return switch (t) {
            case NORMAL -> io.leifdb.server.transport.proto.EntryType.ENTRY_NORMAL;
            case NOOP -> io.leifdb.server.transport.proto.EntryType.ENTRY_NOOP;
            case CONFIG -> io.leifdb.server.transport.proto.EntryType.ENTRY_CONFIG;
        };
    }

    private static EntryType decodeType(io.leifdb.server.transport.proto.EntryType t) {
        return switch (t) {
            case ENTRY_NORMAL -> EntryType.NORMAL;
            case ENTRY_NOOP -> EntryType.NOOP;
            case ENTRY_CONFIG -> EntryType.CONFIG;
            case UNRECOGNIZED -> throw new IllegalArgumentException("unknown entry type " + t.getNumber());
        };
    }
}
