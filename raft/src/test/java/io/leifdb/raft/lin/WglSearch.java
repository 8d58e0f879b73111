package io.leifdb.raft.lin;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Wing &amp; Gong search with Lowe's memoisation for the operations on one key: walk the
 * history's call and return events in time order, tentatively linearize any pending call whose
 * effect the register allows, and backtrack when a return is reached before its call was
 * linearized. A (linearized set, register state) pair already explored is never explored again.
 */
final class WglSearch {
    /** One call or return event in a doubly linked list ordered by time. */
    private static final class Event {
        final int op;
        final boolean call;
        Event prev;
        Event next;
        Event match;

        Event(int op, boolean call) {
            this.op = op;
            this.call = call;
        }
    }

    private record Memo(BitSet linearized, RegisterModel.State state) {
    }

    private record Frame(Event call, RegisterModel.State before) {
    }

    enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, GAVE_UP }

    private final List<Operation> ops;
    /** For an unknown-outcome op, the interchangeable unknown ops (same effect) in call order; else null. */
    private final int[][] twins;
    private final Event head = new Event(-1, false);
    private BitSet deepest = new BitSet();

    /** {@code ops} must all count (see {@link Operation#counts()}) and share one key. */
    WglSearch(List<Operation> ops) {
        this.ops = List.copyOf(ops);
        this.twins = twins(this.ops);
        link();
    }

    /**
     * Unknown-outcome operations with the same effect differ only in their call times, and any
     * valid order can swap two of them so the earlier-called one goes first. So the search only
     * ever places the earliest unplaced one of each such group, which turns 2^k subsets into k+1.
     */
    private static int[][] twins(List<Operation> ops) {
        Map<List<Object>, List<Integer>> groups = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            if (op.outcome() != Outcome.UNKNOWN) continue;
            groups.computeIfAbsent(Arrays.asList(op.kind(), op.expected(), op.value()), k -> new ArrayList<>()).add(i);
        }
        int[][] out = new int[ops.size()][];
        for (List<Integer> g : groups.values()) {
            if (g.size() < 2) continue;
            int[] members = g.stream().mapToInt(Integer::intValue).toArray();
            for (int i : members) out[i] = members;
        }
        return out;
    }

    /** Whether {@code op} is the earliest-called unplaced member of its group of twins. */
    private boolean firstOfTwins(int op, BitSet linearized) {
        int[] group = twins[op];
        if (group == null) return true;
        for (int member : group) {
            if (!linearized.get(member)) return member == op;
        }
        return true;
    }

    /** Operations in the largest set the search managed to linearize; explains a failure. */
    BitSet deepest() {
        return (BitSet) deepest.clone();
    }

    List<Operation> operations() {
        return ops;
    }

    Verdict run(long maxSteps) {
        RegisterModel.State state = RegisterModel.State.ABSENT;
        BitSet linearized = new BitSet(ops.size());
        Set<Memo> seen = new HashSet<>();
        Deque<Frame> stack = new ArrayDeque<>();
        Event entry = head.next;
        long steps = 0;
        while (head.next != null) {
            if (++steps > maxSteps) return Verdict.GAVE_UP;
            if (entry.call) {
                if (!firstOfTwins(entry.op, linearized)) {
                    entry = entry.next;
                    continue;
                }
                RegisterModel.State after = RegisterModel.step(state, ops.get(entry.op));
                if (after != null) {
                    BitSet next = (BitSet) linearized.clone();
                    next.set(entry.op);
                    if (seen.add(new Memo(next, after))) {
                        stack.push(new Frame(entry, state));
                        state = after;
                        linearized = next;
                        if (next.cardinality() > deepest.cardinality()) deepest = next;
                        lift(entry);
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
            } else if (ops.get(entry.op).ret() == Operation.INFINITY) {
                // Only unknown writes remain; each may take effect after everything else, so any order fits.
                return Verdict.LINEARIZABLE;
            } else {
                // A return came before its call was placed: undo the latest choice and try the next one.
                if (stack.isEmpty()) return Verdict.NOT_LINEARIZABLE;
                Frame top = stack.pop();
                state = top.before();
                linearized = (BitSet) linearized.clone();
                linearized.clear(top.call().op);
                unlift(top.call());
                entry = top.call().next;
            }
        }
        return Verdict.LINEARIZABLE;
    }

    private void link() {
        List<Event> events = new ArrayList<>(2 * ops.size());
        for (int i = 0; i < ops.size(); i++) {
            Event call = new Event(i, true);
            Event ret = new Event(i, false);
            call.match = ret;
            ret.match = call;
            events.add(call);
            events.add(ret);
        }
        // Calls sort before returns at equal times: touching operations count as concurrent.
        events.sort(Comparator.<Event>comparingLong(e -> e.call ? ops.get(e.op).call() : ops.get(e.op).ret())
                .thenComparing(e -> e.call ? 0 : 1)
                .thenComparingLong(e -> ops.get(e.op).id()));
        Event last = head;
        for (Event e : events) {
            last.next = e;
            e.prev = last;
            last = e;
        }
    }

    private static void lift(Event call) {
        call.prev.next = call.next;
        call.next.prev = call.prev;
        Event ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) ret.next.prev = ret.prev;
    }

    private static void unlift(Event call) {
        Event ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) ret.next.prev = ret;
        call.prev.next = call;
        call.next.prev = call;
    }
}
