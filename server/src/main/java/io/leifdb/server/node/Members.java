package io.leifdb.server.node;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.Role;
import io.leifdb.raft.Status;
import io.leifdb.server.http.NodeStatus.MemberStatus;
import io.leifdb.server.kv.AddressBook;
import io.leifdb.server.transport.NodeIds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;

/**
 * The members this node knows and where they listen: the replicated {@link AddressBook} where it has
 * an entry, else the address LEIFDB_MEMBER_NODES derives the id from (bootstrap members before the
 * leader first recorded them). Thread-safe: the driver adopts each applied book, handlers read.
 */
final class Members {
    private final long selfId;
    private final String self;
    private final String selfHttp;
    /** The ids LEIFDB_MEMBER_NODES derives: a new cluster's first voters. */
    private final Set<Long> bootstrapIds;
    private final Map<Long, String> raftAddresses = new ConcurrentHashMap<>();
    private volatile AddressBook book = AddressBook.EMPTY;
    private final long tickMillis;
    private final int electionTicks;
    private LongFunction<Optional<String>> httpAddressOf = id -> Optional.empty();
    private LongPredicate connected = id -> false;

    Members(long selfId, String self, String selfHttp, List<String> memberNodes, AddressBook book, long tickMillis,
            int electionTicks) {
        this.selfId = selfId;
        this.self = self;
        this.selfHttp = selfHttp;
        this.tickMillis = tickMillis;
        this.electionTicks = electionTicks;
        Map<Long, String> derived = new LinkedHashMap<>();
        for (String m : memberNodes) derived.put(NodeIds.idOf(m), m);
        this.bootstrapIds = Set.copyOf(derived.keySet());
        raftAddresses.putAll(derived);
        raftAddresses.put(selfId, self);
        adopt(book);
    }

    long tickMillis() {
        return tickMillis;
    }

    long electionTimeoutMillis() {
        return tickMillis * electionTicks;
    }

    /** The applied book is where members listen now; returns it for the caller to redirect its streams. */
    AddressBook adopt(AddressBook applied) {
        book = applied;
        applied.entries().forEach((id, at) -> {
            if (id != selfId) raftAddresses.put(id, at.raft());
        });
        return applied;
    }

    AddressBook book() {
        return book;
    }

    long selfId() {
        return selfId;
    }

    /** This node's own raft and HTTP addresses, as it runs now. */
    AddressBook.Addresses selfAddresses() {
        return new AddressBook.Addresses(self, selfHttp);
    }

    /** Every member this node knows an address for, itself included. */
    Set<Long> ids() {
        return Set.copyOf(raftAddresses.keySet());
    }

    /** The first voters of a cluster these members bootstrap (LEIFDB_MEMBER_NODES), this node included. */
    Set<Long> bootstrapIds() {
        Set<Long> ids = new java.util.TreeSet<>(bootstrapIds);
        ids.add(selfId);
        return ids;
    }

    Optional<String> raftAddressOf(long id) {
        return Optional.ofNullable(raftAddresses.get(id));
    }

    /** Raft addresses of everyone but us. */
    Map<Long, String> peers() {
        Map<Long, String> p = new LinkedHashMap<>(raftAddresses);
        p.remove(selfId);
        return p;
    }

    /** The members of {@code conf} other than us, each with its raft address (or "member-<id>" when none is known). */
    Map<Long, String> peersIn(ConfState conf) {
        Map<Long, String> out = new java.util.TreeMap<>();
        for (Set<Long> ids : List.of(conf.voters(), conf.learners())) {
            for (long id : ids) if (id != selfId) out.put(id, raftAddresses.getOrDefault(id, "member-" + id));
        }
        return out;
    }

    void httpAddresses(LongFunction<Optional<String>> lookup) {
        this.httpAddressOf = lookup;
    }

    /** How a non-leader judges a peer: is our stream to it up? */
    void connectivity(LongPredicate isConnected) {
        this.connected = isConnected;
    }

    /** What a live stream's Hello told us, else the book's entry. */
    Optional<String> httpAddressOf(long id) {
        if (id == selfId) return Optional.of(selfHttp);
        Optional<String> learned = httpAddressOf.apply(id);
        return learned.isPresent() ? learned : book.of(id).map(AddressBook.Addresses::http);
    }

    /**
     * Whether the leader heard from {@code id} within an election timeout; on a follower, whether our
     * stream to it is up. This node itself is always live.
     */
    boolean live(Status s, long id) {
        if (id == selfId) return true;
        Status.PeerStatus p = s.peers().get(id);
        if (s.role() == Role.LEADER && p != null) return p.ticksSinceContact() < electionTicks;
        return connected.test(id);
    }

    /**
     * Each member of the configuration in force, as the core sees it; only a leader knows match
     * indexes, lag and contact times. A member neither in the address book nor in LEIFDB_MEMBER_NODES has no known address.
     */
    List<MemberStatus> describe(Status s, ConfState conf) {
        List<MemberStatus> out = new ArrayList<>();
        boolean leader = s.role() == Role.LEADER;
        java.util.SortedSet<Long> ids = new java.util.TreeSet<>(conf.voters());
        ids.addAll(conf.learners());
        for (long id : ids) {
            boolean voter = conf.voters().contains(id);
            String role = !voter ? Role.LEARNER.name() : id == selfId ? s.role().name()
                    : id == s.leader() ? Role.LEADER.name() : Role.FOLLOWER.name();
            long match = -1;
            long lag = -1;
            long sinceContact = -1;
            Status.PeerStatus p = s.peers().get(id);
            if (leader && id == selfId) {
                match = s.lastIndex();
                lag = 0;
                sinceContact = 0;
            } else if (leader && p != null) {
                match = p.match();
                lag = Math.max(0, s.lastIndex() - p.match());
                sinceContact = p.ticksSinceContact() * tickMillis;
            }
            out.add(new MemberStatus(id, raftAddresses.getOrDefault(id, ""), httpAddressOf(id).orElse(""), role, voter,
                    match, lag, sinceContact, live(s, id)));
        }
        return out;
    }
}
