package io.leifdb.raft.sim;

import io.leifdb.raft.Entry;
import io.leifdb.raft.Message;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The last events of a run, kept so a failure can be read without a debugger: faults, role and
 * term changes, commits and client operations in one ring, and raw messages in another (they
 * would otherwise crowd everything else out).
 */
final class Trace {
    /** {@code -Dsimulation.trace=true} also prints every event and message as it happens (replay one seed). */
    private static final boolean ECHO = Boolean.getBoolean("simulation.trace");
    private final int capacity;
    private final ArrayDeque<String> events = new ArrayDeque<>();
    private final ArrayDeque<String> messages = new ArrayDeque<>();
    private final Map<String, Long> counts = new TreeMap<>();

    Trace(int capacity) {
        this.capacity = capacity;
    }

    void event(long step, String what) {
        push(events, capacity, "t=" + step + " " + what);
        if (ECHO) System.out.println("t=" + step + " " + what);
    }

    /** Counts a kind of event, for the figures {@code -Dsimulation.verbose} prints. */
    void count(String kind) {
        counts.merge(kind, 1L, Long::sum);
    }

    /** Keeps the largest value seen under {@code kind}. */
    void max(String kind, long value) {
        counts.merge(kind, value, Math::max);
    }

    Map<String, Long> counts() {
        return counts;
    }

    void message(long step, Message m) {
        push(messages, capacity / 2, "t=" + step + " " + describe(m));
        if (ECHO) System.out.println("t=" + step + "   " + describe(m));
    }

    private static void push(ArrayDeque<String> ring, int cap, String line) {
        if (ring.size() == cap) ring.removeFirst();
        ring.addLast(line);
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("last ").append(events.size()).append(" events:\n");
        events.forEach(e -> sb.append("  ").append(e).append('\n'));
        sb.append("last ").append(messages.size()).append(" messages delivered:\n");
        messages.forEach(e -> sb.append("  ").append(e).append('\n'));
        return sb.toString();
    }

    static String describe(Message m) {
        String route = "n" + m.from() + "->n" + m.to() + " t" + m.term() + " ";
        return route + switch (m) {
            case Message.AppendEntries a -> "App(prev=" + a.prevLogIndex() + "@" + a.prevLogTerm() + " "
                    + entries(a.entries()) + " commit=" + a.commit() + ")";
            case Message.AppendResponse r -> "AppResp(" + (r.reject() ? "reject " : "ok ") + r.index()
                    + (r.reject() ? " hint=" + r.hintIndex() + "@" + r.hintTerm() : "")
                    + (r.held().isEmpty() ? "" : " " + r.held()) + ")";
            case Message.Heartbeat h -> "Hb(commit=" + h.commit() + " ctx=" + h.readContext() + ")";
            case Message.HeartbeatResponse h -> "HbResp(ctx=" + h.readContext() + ")";
            case Message.RequestVote v -> (v.preVote() ? "PreVote(" : "Vote(") + "last=" + v.lastLogIndex() + "@"
                    + v.lastLogTerm() + (v.transfer() ? " transfer" : "") + ")";
            case Message.VoteResponse v -> (v.preVote() ? "PreVoteResp(" : "VoteResp(")
                    + (v.granted() ? "granted" : "rejected") + ")";
            case Message.InstallSnapshot s -> "Snap(" + s.snapshot().meta().index() + "@"
                    + s.snapshot().meta().term() + ")";
            case Message.TimeoutNow t -> "TimeoutNow";
            case Message.ReadIndexRequest r -> "ReadIdx(ctx=" + r.context() + ")";
            case Message.ReadIndexResponse r -> "ReadIdxResp(ctx=" + r.context() + " index=" + r.index() + ")";
            case Message.FragmentRequest f -> "FragReq(" + f.lo() + ".." + f.hi() + ")";
            case Message.FragmentResponse f -> "FragResp(" + entries(f.entries()) + " commit=" + f.commit() + ")";
        };
    }

    static String entries(List<Entry> entries) {
        if (entries.isEmpty()) return "[]";
        return entries.stream().map(e -> e.index() + "@" + e.term()).collect(Collectors.joining(",", "[", "]"));
    }
}
