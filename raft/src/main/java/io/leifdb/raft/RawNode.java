package io.leifdb.raft;

import io.leifdb.raft.ProposalDroppedException.Reason;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One Raft node as a pure state machine: no threads, no clock, no I/O. The driver feeds it time
 * ({@link #tick}), messages ({@link #step}) and client requests, and carries out what each
 * {@link Ready} asks. All calls must come from one thread.
 *
 * <h2>The Ready contract</h2>
 * After any call, if {@link #hasReady()}, take {@link #ready()} and do, in this order:
 * <ol>
 *   <li><b>Persist</b>: install {@code snapshot} if non-null; then append {@code entries} (the first
 *       of them may overwrite the stored log from its index on: drop that stored suffix); then
 *       write {@code hardState} if non-null. Make all of it durable (fsync) before step 2. A Ready
 *       whose only change is the commit index in {@code hardState} may skip the fsync: Figure 2
 *       keeps commitIndex as volatile state, and a restart learns it again from the leader.
 *       The {@link LogStorage} given to the constructor must reflect these writes from then on.</li>
 *   <li><b>Send</b> {@code messages}. Every one of them may depend on the state of step 1: a vote
 *       needs the persisted vote (§5.2), an acknowledgement needs the persisted entries (§5.3),
 *       so none may leave earlier. Messages may be dropped, delayed or reordered.</li>
 *   <li><b>Apply</b> {@code committedEntries} in order (they are durable on a quorum), and after
 *       a snapshot install the snapshot's state. Serve each {@link ReadState} once the applied
 *       index reaches its index.</li>
 *   <li>Call {@link #advance(Ready)} with the same Ready. Only then does a leader count its own
 *       log as durable toward a quorum, and only then are the next Ready's contents computed
 *       relative to this one.</li>
 * </ol>
 * {@code hardState} and {@code softState} are non-null only when they changed since the previous
 * Ready. Calls made between {@code ready()} and {@code advance()} are allowed; whatever they
 * produce appears in the next Ready.
 */
public final class RawNode {
    private final Raft raft;
    private SoftState prevSoft;
    private HardState prevHard;

    /** Starts as a follower from the hard state, membership and log in {@code storage}. */
    public RawNode(RaftConfig config, LogStorage storage) {
        this.raft = new Raft(config, storage);
        this.prevSoft = raft.softState();
        this.prevHard = storage.hardState();
    }

    /** One logical tick: drives election timeouts (§5.2), heartbeats and check-quorum. */
    public void tick() {
        raft.tick();
    }

    /**
     * Handles a message addressed to this node; messages of older terms are answered or ignored (§5.1).
     * A message from a non-member, with a term or index out of range, or a TimeoutNow not from the
     * current leader changes nothing: its reason is returned and counted in {@link Status#dropped()}.
     *
     * @return empty when the message was handled, else why it was dropped
     */
    public Optional<DropReason> step(Message m) {
        if (m.to() != raft.id) {
            throw new IllegalArgumentException("message for " + m.to() + " stepped into node " + raft.id);
        }
        return Optional.ofNullable(raft.step(m));
    }

    /**
     * Appends a client command to the leader's log and starts replicating it.
     *
     * @return the index the entry got; it is committed once a later Ready's committedEntries holds
     *         an entry with this index and the same term
     * @throws ProposalDroppedException when not leader or during a leadership transfer
     */
    public long propose(byte[] data) {
        return raft.propose(EntryType.NORMAL, data);
    }

    /**
     * Requests a linearizable read (§6.4). The answer is a {@link ReadState} with this context in a
     * later Ready (possibly never, if leadership changes: callers time out). Contexts must be
     * unique among outstanding reads.
     *
     * @throws ProposalDroppedException on a non-leader that knows no leader to forward to
     */
    public void readIndex(long context) {
        if (raft.role == Role.LEADER) {
            raft.readIndex.request(raft.id, context);
        } else if (raft.lead != 0) {
            raft.send(new Message.ReadIndexRequest(raft.id, raft.lead, raft.term, context));
        } else {
            throw new ProposalDroppedException(Reason.NOT_LEADER, "no leader known for read", 0);
        }
    }

    /** Leader only (ignored elsewhere): hand leadership to voter {@code to} (thesis §3.10). */
    public void transferLeadership(long to) {
        raft.transfer.start(to);
    }

    /** Starts an election now (with pre-vote if configured). */
    public void campaign() {
        raft.election.hup(false);
    }

    /**
     * Proposes switching to membership {@code next}, which may differ from the current one by at
     * most one voter (thesis §4.1 single-server change; learners may change freely). The CONFIG
     * entry takes effect on every node as soon as it is appended; {@link #confState()} shows the
     * membership in force. A removed leader steps down once the change commits.
     *
     * @return the index the CONFIG entry got
     *
     * @throws ProposalDroppedException when not leader, during a transfer, while another change is
     *         uncommitted, or before the leader committed an entry of its term ({@link
     *         ProposalDroppedException#reason()} tells which)
     * @throws IllegalArgumentException when more than one voter changes or no voter remains
     */
    public long proposeConfChange(ConfState next) {
        return raft.proposeConfChange(next);
    }

    /** The transport lost contact with {@code peer}: stop pipelining to it and probe instead. */
    public void reportUnreachable(long peer) {
        Progress pr = raft.role == Role.LEADER ? raft.tracker.get(peer) : null;
        if (pr != null && pr.state == Progress.State.REPLICATE) {
            pr.becomeProbe();
        }
    }

    /** The driver finished (or failed) streaming a snapshot to {@code peer}. */
    public void reportSnapshot(long peer, boolean success) {
        raft.snapshots.report(peer, success);
    }

    public boolean hasReady() {
        raft.flushProposals();
        return !raft.softState().equals(prevSoft)
                || !raft.hardState().equals(prevHard)
                || !raft.log.unstable.entries.isEmpty()
                || raft.log.unstable.snapshot != null
                || !raft.msgs.isEmpty()
                || raft.log.hasNextCommittedEntries()
                || !raft.readStates.isEmpty();
    }

    /** What to persist, send and apply now; see the class comment for the order. */
    public Ready ready() {
        raft.flushProposals();
        SoftState soft = raft.softState();
        HardState hard = raft.hardState();
        return new Ready(
                soft.equals(prevSoft) ? null : soft,
                hard.equals(prevHard) ? null : hard,
                List.copyOf(raft.log.unstable.entries),
                raft.log.unstable.snapshot,
                List.copyOf(raft.msgs),
                raft.log.nextCommittedEntries(),
                List.copyOf(raft.readStates));
    }

    /** The driver finished everything {@code rd} asked. */
    public void advance(Ready rd) {
        advanceWritten(rd);
        if (raft.role == Role.LEADER) {
            raft.replication.selfPersisted(raft.log.persistedLastIndex());
        }
    }

    /**
     * Like {@link #advance(Ready)} for a driver that writes a leader's entries without waiting for
     * their fsync (thesis §10.2.1): everything else {@code rd} asked is done, and its entries are
     * written and readable from the storage, but the leader counts its own log toward a quorum only
     * through {@link #persisted}. A driver that uses this must use it for every Ready and report
     * every fsync through {@link #persisted}, or the leader never counts itself.
     */
    public void advanceWritten(Ready rd) {
        if (rd.softState() != null) {
            prevSoft = rd.softState();
        }
        if (rd.hardState() != null) {
            prevHard = rd.hardState();
        }
        if (rd.snapshot() != null) {
            long index = rd.snapshot().meta().index();
            raft.log.unstable.stableSnapTo(index);
            if (index > raft.log.applied) {
                raft.log.applied = index;
            }
        }
        if (!rd.entries().isEmpty()) {
            Entry last = rd.entries().get(rd.entries().size() - 1);
            raft.log.unstable.stableTo(last.index(), last.term());
        }
        if (!rd.committedEntries().isEmpty()) {
            long last = rd.committedEntries().get(rd.committedEntries().size() - 1).index();
            if (last > raft.log.applied) {
                raft.log.appliedTo(last);
            }
        }
        raft.msgs.subList(0, Math.min(rd.messages().size(), raft.msgs.size())).clear();
        raft.readStates.subList(0, Math.min(rd.readStates().size(), raft.readStates.size())).clear();
    }

    /**
     * The log through {@code index}, as written while this node led in {@code term}, is durable.
     * Ignored unless this node still leads in that term: a leader never rewrites its own log, so
     * only then does the index still name the entries that were synced. Returns whether it counted.
     */
    public boolean persisted(long term, long index) {
        if (raft.role != Role.LEADER || raft.term != term) return false;
        raft.replication.selfPersisted(Math.min(index, raft.log.persistedLastIndex()));
        return true;
    }

    /** The current term. */
    public long term() {
        return raft.term;
    }

    public Status status() {
        Map<Long, Status.PeerStatus> peers = new TreeMap<>();
        if (raft.role == Role.LEADER) {
            raft.tracker.progress.forEach((id, p) -> peers.put(id, p.toStatus()));
        }
        return new Status(raft.id, raft.role, raft.term, raft.lead, raft.log.committed, raft.log.applied,
                raft.log.lastIndex(), peers, raft.admission.dropped(), raft.catchUp.active());
    }

    /**
     * CRaft: whether this node leads and currently sends fragments (coded mode) rather than full
     * copies; false on followers and under plain Raft.
     */
    public boolean codedReplication() {
        return raft.craft != null && raft.craft.coded && !raft.craft.recovering();
    }

    /** CRaft: the k this leader codes new entries with now; 1 when it sends full copies, follows, or under plain Raft. */
    public int codedDataShards() {
        return codedReplication() ? raft.craft.k : 1;
    }

    /** CRaft: the coding parameters in force (the cluster's once recorded); null under plain Raft. */
    public CodingParams codingParams() {
        return raft.policy instanceof CraftPolicy p ? p.params(raft.tracker.conf) : null;
    }

    /** The membership this node currently acts on. */
    public ConfState confState() {
        return raft.tracker.conf;
    }
}
