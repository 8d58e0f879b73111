package io.leifdb.server.it.history;

import io.leifdb.raft.lin.History;
import io.leifdb.raft.lin.Operation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Turns client requests and the attempts that answered them into the checker's {@link History}.
 * The call time is taken before the first attempt and the return time after the last, so each
 * recorded interval contains the real effect. Safe to use from many client threads.
 */
public final class Recorder {
    /** An operation begun and not yet ended. */
    public record Call(long id, int client, Request request) {
    }

    private final History history = new History();
    private final LongSupplier clock;
    private final Map<Long, String> notes = new ConcurrentHashMap<>();

    /** @param clock a monotonic time source (nanoseconds in the cluster test) */
    public Recorder(LongSupplier clock) {
        this.clock = clock;
    }

    public Call begin(int client, Request r) {
        long t = clock.getAsLong();
        long id = switch (r.kind()) {
            case READ -> history.callRead(r.key(), t);
            case WRITE -> history.callWrite(r.key(), r.value(), t);
            case DELETE -> history.callDelete(r.key(), t);
            case IF_MATCH -> history.callCas(r.key(), r.expected(), r.value(), t);
            case IF_ABSENT -> history.callCas(r.key(), null, r.value(), t);
        };
        return new Call(id, client, r);
    }

    /** Ends {@code call} with the attempts it took, in order; returns what the client learned. */
    public ReplyRules.Result end(Call call, List<Attempt> trail) {
        if (trail.isEmpty()) throw new IllegalArgumentException("operation " + call.id() + " made no attempt");
        ReplyRules.Result result = ReplyRules.classify(call.request(), trail.getLast());
        long t = clock.getAsLong();
        switch (result) {
            case ReplyRules.Result.Ok ok -> history.ok(call.id(), t, call.request().isRead() ? ok.value() : null);
            case ReplyRules.Result.Failed f -> history.failed(call.id(), t);
            case ReplyRules.Result.Unknown u -> history.unknown(call.id());
        }
        StringBuilder note = new StringBuilder("c").append(call.client());
        for (Attempt a : trail) note.append(' ').append(a.brief());
        notes.put(call.id(), note.toString());
        return result;
    }

    /** Every operation so far; any still open counts as unknown. */
    public List<Operation> operations() {
        return history.operations();
    }

    /** Which client ran operation {@code id} and the nodes that answered it, e.g. {@code c3 n1:307 n0:200}. */
    public String note(long id) {
        return notes.getOrDefault(id, "(open)");
    }
}
