package io.leifdb.server.node;

import io.leifdb.raft.ConfState;
import io.leifdb.server.kv.AddressBook;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * Decides whom this node dials (issue 13): every member at its address in the applied book, except
 * members that left. Without it a removed member stayed in the book and every peer kept dialling
 * it, logging connection errors for ever.
 *
 * <p>A member has left once it is neither in the configuration the core acts on (thesis §4.1: the
 * latest CONFIG entry, committed or not, so a change a new leader truncates is undone here too) nor,
 * on a leader, among the peers it still replicates to: the core sends a removed member the log until
 * its removal commits, so it learns it was removed ({@code ProgressTracker.departing}). A member
 * that is added again is dialled again. A member the book gains while in no configuration this node
 * has seen is dialled, so a learner being added is reached. At start, peers dialled from the book
 * that the first configuration lacks count as left (removed before a restart); should one be a member
 * added later in the log, appending that entry here dials it again.
 *
 * <p>Called on the driver thread (the book as it applies, the membership as the core publishes it);
 * synchronized all the same, since it is cheap.
 */
final class PeerDialling {
    /** The side that owns the streams (GrpcTransport). Both calls return at once; repeating one changes nothing. */
    interface Dialer {
        /** Dial {@code id} at {@code raftAddress} from now on (a new stream when the address changed). */
        void dial(long id, String raftAddress);

        /** Stop dialling {@code id}; close its stream. */
        void hangUp(long id);
    }

    private final long selfId;
    private final Dialer dialer;
    private final LongFunction<Optional<String>> addressOf;
    /** Whom this node should reach as of the last call: members, and peers a leader still replicates to. */
    private Set<Long> wanted;
    private ConfState lastConf;
    private Set<Long> lastReplicating = Set.of();
    /** Members that left and have not come back: never dialled, whatever the book says. */
    private final Set<Long> departed = new HashSet<>();

    /**
     * @param addressOf      where a member listens (the book, else the bootstrap list), for a member added back
     * @param dialledAtStart the members the transport dials before the first configuration is known
     */
    PeerDialling(long selfId, Dialer dialer, LongFunction<Optional<String>> addressOf, Set<Long> dialledAtStart) {
        this.selfId = selfId;
        this.dialer = dialer;
        this.addressOf = addressOf;
        this.wanted = Set.copyOf(dialledAtStart);
    }

    /** The applied book: dial every member at its address there, but no departed one. */
    synchronized void bookApplied(AddressBook book) {
        book.entries().forEach((id, at) -> {
            if (id != selfId && !departed.contains(id)) dialer.dial(id, at.raft());
        });
    }

    /**
     * The core published its membership and (on a leader) the peers it replicates to; cheap when
     * nothing changed, as on most calls.
     */
    synchronized void membersChanged(ConfState conf, Set<Long> replicating) {
        if (conf == lastConf && replicating.equals(lastReplicating)) return; // most calls: the driver's every turn
        lastConf = conf;
        lastReplicating = Set.copyOf(replicating);
        if (conf.voters().isEmpty() && conf.learners().isEmpty()) return; // no configuration yet: nothing can have left
        Set<Long> now = new TreeSet<>(conf.voters());
        now.addAll(conf.learners());
        now.addAll(replicating);
        now.remove(selfId);
        if (now.equals(wanted)) return;
        for (long id : wanted) {
            if (!now.contains(id) && departed.add(id)) dialer.hangUp(id);
        }
        for (long id : now) {
            if (departed.remove(id)) addressOf.apply(id).ifPresent(a -> dialer.dial(id, a));
        }
        wanted = now;
    }

    /** Whether {@code id} left and has not come back. */
    synchronized boolean departed(long id) {
        return departed.contains(id);
    }
}
