package io.leifdb.raft;

import io.leifdb.raft.ProposalDroppedException.Reason;
import io.leifdb.raft.Message.AppendEntries;
import io.leifdb.raft.Message.AppendResponse;
import io.leifdb.raft.Message.FragmentRequest;
import io.leifdb.raft.Message.FragmentResponse;
import io.leifdb.raft.Message.Heartbeat;
import io.leifdb.raft.Message.HeartbeatResponse;
import io.leifdb.raft.Message.InstallSnapshot;
import io.leifdb.raft.Message.ReadIndexRequest;
import io.leifdb.raft.Message.ReadIndexResponse;
import io.leifdb.raft.Message.RequestVote;
import io.leifdb.raft.Message.TimeoutNow;
import io.leifdb.raft.Message.VoteResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One node's Raft state (Figure 2) and the dispatch of messages by role. The rules themselves
 * live in {@link Election}, {@link Replication}, {@link SnapshotTransfer}, {@link ReadIndex},
 * {@link LeaderTransfer} and {@link Membership}; this class holds what they share.
 */
final class Raft {
    /** Set by propose, cleared when the batch is broadcast (see flushProposals). */
    private boolean proposalsToSend;

    final long id;
    final RaftConfig config;
    final RaftLog log;
    final ProgressTracker tracker;
    final ReplicationPolicy policy;
    /** CRaft state while leading under an erasure-coding policy; null otherwise. */
    CraftLeader craft;
    private final SplittableRandom random;

    long term;
    long vote;
    long lead;
    Role role = Role.FOLLOWER;
    int electionElapsed;
    int heartbeatElapsed;
    int randomizedElectionTimeout;

    final List<Message> msgs = new ArrayList<>();
    final List<ReadState> readStates = new ArrayList<>();

    final Election election;
    final Replication replication;
    final SnapshotTransfer snapshots;
    final ReadIndex readIndex;
    final LeaderTransfer transfer;
    final Membership membership;
    final Admission admission;
    final CatchUp catchUp;
    final LearnerPromoter promoter;

    Raft(RaftConfig config, LogStorage storage) {
        this.id = config.id();
        this.config = config;
        this.policy = config.policy();
        this.random = new SplittableRandom(config.randomSeed());
        this.log = new RaftLog(storage);
        HardState hs = storage.hardState();
        if (hs.commit() > log.lastIndex()) {
            throw new IllegalStateException("stored commit " + hs.commit() + " past the last stored index "
                    + log.lastIndex());
        }
        // A snapshot is committed even if the hard state written with it lags behind.
        log.committed = Math.max(hs.commit(), log.committed);
        if (config.applied() > log.committed) {
            throw new IllegalArgumentException("RaftConfig.applied=" + config.applied() + ": must be at most the"
                    + " stored commit index " + log.committed);
        }
        log.applied = Math.max(log.applied, config.applied());
        this.tracker = new ProgressTracker(storage.confState(), config.maxInflightMsgs(), config.maxInflightBytes(),
                log.lastIndex());
        this.election = new Election(this);
        this.replication = new Replication(this);
        this.snapshots = new SnapshotTransfer(this);
        this.readIndex = new ReadIndex(this);
        this.transfer = new LeaderTransfer(this);
        this.membership = new Membership(this, storage.confState());
        this.admission = new Admission(this);
        this.catchUp = new CatchUp(this, config.catchingUp());
        this.promoter = new LearnerPromoter(this);
        // Thesis §4.1: the latest CONFIG entry in the log is in force, committed or not.
        if (log.lastIndex() >= log.firstIndex()) {
            membership.onAppend(log.slice(log.firstIndex(), log.lastIndex() + 1, Long.MAX_VALUE));
        }
        log.onAppend = membership::onAppend;
        log.upgradesFragments = policy.coding(storage.confState()) != null;
        // A crash can keep entries of a term whose hard state it lost (entries are written first); a term
        // below the last entry's would let this node lead a lower term after higher ones (§5.3, Figure 2).
        long startTerm = Math.max(hs.term(), log.lastTerm());
        this.term = startTerm;
        becomeFollower(startTerm, 0);
        this.vote = startTerm == hs.term() ? hs.vote() : 0; // a vote belongs to its term
    }

    void send(Message m) {
        msgs.add(m);
    }

    /**
     * Voters may campaign; learners, removed nodes and members still catching up never do. A voter the
     * latest, still uncommitted, change removes may too (thesis §4.2.2): the change may yet be lost, and
     * if it was the leader and lost leadership, the others may lack the change and need its vote, which
     * it would refuse them for its longer log, so only it can finish the change.
     */
    boolean promotable() {
        return (tracker.isVoter(id) || membership.votedBeforePendingChange(id)) && !catchUp.active();
    }

    HardState hardState() {
        return new HardState(term, vote, log.committed);
    }

    SoftState softState() {
        return new SoftState(lead, role, catchUp.active());
    }

    // ---- role transitions (§5.2) -------------------------------------------------------------

    void becomeFollower(long newTerm, long leader) {
        reset(newTerm);
        lead = leader;
        role = tracker.isVoter(id) || !tracker.isMember(id) ? Role.FOLLOWER : Role.LEARNER;
    }

    /** Thesis §9.6: probe for votes without bumping the term, so a partitioned node cannot disrupt. */
    void becomePreCandidate() {
        if (role == Role.LEADER) {
            throw new IllegalStateException("leader cannot become pre-candidate");
        }
        tracker.resetVotes();
        lead = 0;
        electionElapsed = 0;
        resetRandomizedElectionTimeout();
        role = Role.PRE_CANDIDATE;
    }

    void becomeCandidate() {
        if (role == Role.LEADER) {
            throw new IllegalStateException("leader cannot become candidate");
        }
        reset(term + 1);
        vote = id;
        role = Role.CANDIDATE;
    }

    void becomeLeader() {
        if (role == Role.FOLLOWER || role == Role.LEARNER) {
            throw new IllegalStateException("follower cannot become leader");
        }
        reset(term);
        lead = id;
        role = Role.LEADER;
        Progress self = tracker.get(id);
        if (self != null) { // null when the pending change removes this node: it leads until that commits
            self.becomeReplicate();
            self.maybeUpdate(log.persistedLastIndex());
            self.recentActive = true;
        }
        ErasureCoding coding = policy.coding(tracker.conf);
        if (coding != null) {
            craft = new CraftLeader(this, coding);
            craft.start(); // recovers its coded suffix first, then appends the no-op
            return;
        }
        // §8: a no-op of the new term lets the leader learn what is committed and serve reads.
        log.append(List.of(Entry.noop(term, log.lastIndex() + 1)));
        replication.bcastAppend();
    }

    /** CRaft: a new leader serves no client until it has recovered its log. */
    boolean recovering() {
        return craft != null && craft.recovering();
    }

    private void reset(long newTerm) {
        if (term != newTerm) {
            term = newTerm;
            vote = 0;
        }
        lead = 0;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        resetRandomizedElectionTimeout();
        transfer.abort();
        craft = null;
        tracker.resetVotes();
        tracker.resetProgress(log.lastIndex());
        readIndex.reset();
    }

    /** §5.2: a fresh timeout in [electionTick, 2*electionTick) for every election, never once per process. */
    void resetRandomizedElectionTimeout() {
        randomizedElectionTimeout = config.electionTick() + random.nextInt(config.electionTick());
    }

    // ---- time --------------------------------------------------------------------------------

    void tick() {
        if (role == Role.LEADER) {
            replication.tickLeader();
            promoter.tick(); // it checks that this node still leads: the tick may have stepped it down
        } else {
            election.tick();
        }
    }

    // ---- inbound messages --------------------------------------------------------------------

    /** Returns why {@code m} was dropped unread, or null when it was handled. */
    DropReason step(Message m) {
        DropReason refused = admission.check(m);
        if (refused != null) {
            return refused;
        }
        if (m.term() > term) {
            if (m instanceof RequestVote rv && !rv.transfer() && inLease()) {
                return null; // §9.6 (thesis §4.2.3): a live leader's followers ignore disruptive candidates
            }
            if (m instanceof RequestVote rv && rv.preVote()) {
                // A pre-vote never changes our term.
            } else if (m instanceof VoteResponse vr && vr.preVote() && vr.granted()) {
                // A granted pre-vote carries the term we would campaign in, not a newer leader's.
            } else if (fromLeader(m)) {
                becomeFollower(m.term(), m.from()); // §5.1: a higher term always wins
            } else if (m instanceof RequestVote) {
                // Figure 2: only a granted vote restarts the election timer. A candidate whose log we
                // reject must not hold back our own, more up-to-date candidacy (§5.4.1).
                int elapsed = electionElapsed;
                becomeFollower(m.term(), 0);
                electionElapsed = elapsed;
            } else {
                becomeFollower(m.term(), 0);
            }
        } else if (m.term() < term) {
            // §5.1: reject stale requests with our term so their sender steps down.
            if (fromLeader(m)) {
                send(new AppendResponse(id, m.from(), term, true, 0, 0, 0));
            } else if (m instanceof RequestVote rv) {
                send(new VoteResponse(id, m.from(), term, false, rv.preVote()));
            }
            return null;
        }
        if (m instanceof RequestVote rv) {
            election.handleVoteRequest(rv);
            return null;
        }
        switch (role) {
            case LEADER -> stepLeader(m);
            case CANDIDATE, PRE_CANDIDATE -> stepCandidate(m);
            case FOLLOWER, LEARNER -> stepFollower(m);
        }
        return null;
    }

    private static boolean fromLeader(Message m) {
        return m instanceof AppendEntries || m instanceof Heartbeat || m instanceof InstallSnapshot
                || m instanceof FragmentRequest;
    }

    private boolean inLease() {
        return config.checkQuorum() && lead != 0 && electionElapsed < config.electionTick();
    }

    private void stepLeader(Message m) {
        switch (m) {
            case AppendResponse r -> replication.handleAppendResponse(r);
            case HeartbeatResponse r -> replication.handleHeartbeatResponse(r);
            case ReadIndexRequest r -> readIndex.request(r.from(), r.context());
            case FragmentResponse r -> {
                if (recovering()) {
                    craft.recovery.onResponse(r);
                }
            }
            default -> {
                // Votes, a stale TimeoutNow or a ReadIndexResponse mean nothing to a leader.
            }
        }
    }

    private void stepCandidate(Message m) {
        switch (m) {
            case AppendEntries a -> {
                becomeFollower(term, a.from()); // §5.2: a leader of our term exists
                replication.handleAppend(a);
            }
            case Heartbeat h -> {
                becomeFollower(term, h.from());
                replication.handleHeartbeat(h);
            }
            case InstallSnapshot s -> {
                becomeFollower(term, s.from());
                snapshots.handleInstall(s);
            }
            case FragmentRequest f -> {
                becomeFollower(term, f.from());
                replication.handleFragmentRequest(f);
            }
            case VoteResponse v -> election.handleVoteResponse(v);
            default -> {
            }
        }
    }

    private void stepFollower(Message m) {
        switch (m) {
            case AppendEntries a -> {
                electionElapsed = 0;
                lead = a.from();
                replication.handleAppend(a);
            }
            case Heartbeat h -> {
                electionElapsed = 0;
                lead = h.from();
                replication.handleHeartbeat(h);
            }
            case InstallSnapshot s -> {
                electionElapsed = 0;
                lead = s.from();
                snapshots.handleInstall(s);
            }
            case FragmentRequest f -> {
                electionElapsed = 0;
                lead = f.from();
                replication.handleFragmentRequest(f);
            }
            case TimeoutNow t -> election.hup(true); // thesis §3.10: campaign at once, lease or not
            case ReadIndexResponse r -> readStates.add(new ReadState(r.context(), r.index()));
            default -> {
            }
        }
    }

    // ---- client requests (§6) ----------------------------------------------------------------

    long proposeConfChange(ConfState next) {
        if (next.coding() == null && tracker.conf.coding() != null) {
            next = next.withCoding(tracker.conf.coding()); // a membership change keeps CRaft's cluster state
        }
        if (role == Role.LEADER && !transfer.inProgress()) {
            membership.checkProposal(next);
            next = CodedVoterChange.admit(this, tracker.conf, next); // CRaft: fragment ids are positions among voters
        }
        return propose(EntryType.CONFIG, ConfStateCodec.encode(next));
    }

    long propose(EntryType type, byte[] data) {
        if (role != Role.LEADER) {
            throw new ProposalDroppedException(Reason.NOT_LEADER, "not the leader", lead);
        }
        if (transfer.inProgress()) {
            throw new ProposalDroppedException(Reason.TRANSFERRING, "leadership transfer in progress", lead);
        }
        if (recovering()) {
            throw new ProposalDroppedException(Reason.RECOVERING, "new leader still recovering its log (CRaft)", lead);
        }
        long index = log.lastIndex() + 1;
        log.append(List.of(new Entry(term, index, type, data)));
        proposalsToSend = true;
        return index;
    }

    /**
     * Proposals made since the last Ready go out together: one AppendEntries per peer for the
     * whole batch, rather than one per proposal.
     */
    void flushProposals() {
        if (proposalsToSend) {
            proposalsToSend = false;
            if (role == Role.LEADER) {
                replication.bcastAppend();
            }
        }
    }
}
