package io.leifdb.raft.sim;

import io.leifdb.raft.AutoPromotion;
import io.leifdb.raft.ConfState;
import io.leifdb.raft.CraftPolicy;
import io.leifdb.raft.Message;
import io.leifdb.raft.PlantedBug;
import io.leifdb.raft.RaftConfig;
import io.leifdb.raft.ReplicationPolicy;
import io.leifdb.raft.Role;
import io.leifdb.raft.lin.CheckResult;
import io.leifdb.raft.lin.LinearizabilityChecker;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * One seeded run of a {@link Scenario}: a cluster of {@link SimNode}s on a {@link SimNetwork},
 * faults for {@code chaosTicks}, then everything heals and the cluster must elect a leader and
 * commit new writes within fixed bounds. Safety is checked after every Ready; the client history
 * must be linearizable at the end. Everything, the cluster size included, derives from the seed.
 */
final class Simulation implements Env {
    /**
     * A leader must exist this many ticks after healing. Elections are only probabilistically
     * bounded: without pre-vote, a node whose log is too stale to win still bumps the term and so
     * restarts everyone's election timer, and a run of unlucky timeouts can last a while (up to
     * ~100 ticks seen in 10,000 seeds). The bound is generous so it flags a stuck cluster, not bad luck.
     */
    static final int LEADER_BOUND_TICKS = 30 * Scenario.ELECTION_TICK;
    /** A write issued after healing must commit this many ticks after it was first tried. */
    static final int COMMIT_BOUND_TICKS = 30 * Scenario.ELECTION_TICK;
    /** Liveness writes are issued during this many ticks after healing, one every {@link #LIVENESS_EVERY_TICKS}. */
    private static final int LIVENESS_WINDOW_TICKS = 50;
    private static final int CLIENTS = 4;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int CLIENT_TIMEOUT_TICKS = 4 * Scenario.ELECTION_TICK;
    private static final int LIVENESS_EVERY_TICKS = 10;
    /** CRaft repair: after the run, the cluster must be quiet and the scrub's pass clean within this many ticks. */
    private static final int QUIET_BOUND_TICKS = 400;

    /** The outcome of a run; {@code failure} is null when it passed. */
    record Result(Scenario scenario, long seed, String settings, String failure, String trace, long okWrites, long okReads,
                  long cpuNanos, Map<String, Long> counts) {
        boolean passed() {
            return failure == null;
        }
    }

    /** {@code io}: a disk's work, which healing does not cancel (faults are cancelled). */
    private record Scheduled(long at, long seq, Runnable action, boolean io) {
    }

    /** A liveness write slot: retried at the current leader until it commits. */
    private static final class Slot {
        final long created;
        long op = -1;
        long committedAt = -1;

        Slot(long created) {
            this.created = created;
        }
    }

    private final Scenario scenario;
    private final long seed;
    private final SplittableRandom rnd;
    private final SimNetwork network;
    private final Trace trace = new Trace(50);
    private final InvariantChecker checker;
    private final Clients clients;
    private final FaultInjector faults;
    /** Forged and replayed messages during chaos; null when the scenario has none. */
    private final HostileInjector hostile;
    private final SimNode[] nodes;
    /** CRaft checks and reads; null for full replication. */
    private final CraftSim craft;
    /** The leader's repair scrub; null unless the scenario repairs ({@link CraftRun#repair}). */
    private final SimScrub scrub;
    private final int[] tickPhase;
    private final PriorityQueue<Scheduled> schedule = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final List<Slot> slots = new ArrayList<>();
    private long scheduled;
    private long now;
    private boolean chaos = true;
    private long leaderAfterHeal = -1;
    private final String settings;

    Simulation(Scenario scenario, long seed, Set<PlantedBug> bugs) {
        this.scenario = scenario;
        this.seed = seed;
        this.rnd = new SplittableRandom(seed);
        int n = scenario.sizes().get((int) Math.floorMod(seed, (long) scenario.sizes().size()));
        this.network = new SimNetwork(rnd.split());
        network.conditions(scenario.dropRate(), scenario.duplicateRate(), scenario.maxDelaySteps());
        this.clients = new Clients(this, CLIENTS, (long) CLIENT_TIMEOUT_TICKS * Scenario.STEPS_PER_TICK);
        SplittableRandom faultRnd = rnd.split();
        TreeSet<Long> voters = new TreeSet<>();
        for (long id = 1; id <= n; id++) voters.add(id);
        ConfState conf = ConfState.of(voters);
        boolean preVote = rnd.nextBoolean();
        boolean checkQuorum = rnd.nextBoolean();
        // Drawn only when used, so the other scenarios draw exactly what they drew before.
        boolean auto = switch (scenario.churn().promotion()) {
            case BY_HAND -> false;
            case AUTOMATIC -> true;
            case EITHER -> rnd.nextBoolean();
        };
        AutoPromotion promotion = auto ? AutoPromotion.within(rnd.nextInt(8)) : AutoPromotion.OFF;
        this.checker = new InvariantChecker(this::leaderViews, conf, preVote);
        this.faults = new FaultInjector(scenario, this, faultRnd, n, auto);
        int total = n + scenario.churn().spares();
        TreeSet<Long> servers = new TreeSet<>();
        for (long id = 1; id <= total; id++) servers.add(id);
        this.nodes = new SimNode[total + 1];
        this.tickPhase = new int[total + 1];
        for (int id = 1; id <= total; id++) {
            ReplicationPolicy policy = scenario.policy() instanceof CraftRun run ? run.policyFor(n, rnd) : scenario.policy();
            RaftConfig config = new RaftConfig(id, Scenario.ELECTION_TICK, Scenario.HEARTBEAT_TICK,
                    scenario.maxSizePerMsg(), 64, preVote, checkQuorum, rnd.nextLong(), 0, policy)
                    .withMaxInflightBytes(scenario.maxInflightBytes())
                    .withKnownServers(servers) // as the server's address book: every server of the cluster
                    .withAutoPromotion(promotion)
                    .withPlantedBugs(bugs);
            // A spare starts empty, outside the membership, as a node started to join does.
            nodes[id] = new SimNode(id, id <= n ? conf : ConfState.of(Set.of()), config, this);
            tickPhase[id] = rnd.nextInt(Scenario.STEPS_PER_TICK);
        }
        this.craft = scenario.policy() instanceof CraftPolicy || scenario.policy() instanceof CraftRun
                ? new CraftSim(this, scenario.name(), CraftRun.of(scenario.policy()), conf, checker) : null;
        this.scrub = craft != null && CraftRun.of(scenario.policy()).repair()
                ? new SimScrub(this, craft, CraftRun.of(scenario.policy()), bugs) : null;
        // Split only when used, so the other scenarios draw exactly what they drew before.
        this.hostile = scenario.hostileRate() > 0 ? new HostileInjector(scenario, this, rnd.split()) : null;
        this.settings = n + " nodes" + (total > n ? " (+" + (total - n) + " spares)" : "") + ", preVote=" + preVote
                + ", checkQuorum=" + checkQuorum + (promotion.enabled() ? ", autoPromote within " + promotion.maxLag() : "");
        trace.event(0, scenario.name() + " seed " + seed + ": " + settings);
    }

    /** Runs a scenario on one seed; never throws for a failure of the system under test. */
    static Result run(Scenario scenario, long seed) {
        return run(scenario, seed, Set.of());
    }

    /** A run with {@code bugs} planted in the driver, the core or the disk, which it must catch. */
    static Result run(Scenario scenario, long seed, Set<PlantedBug> bugs) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        Simulation sim = new Simulation(scenario, seed, bugs);
        String failure;
        try {
            failure = sim.execute();
        } catch (SafetyViolation e) {
            failure = e.getMessage();
        } catch (RuntimeException e) {
            failure = "unexpected " + e;
            StackTraceElement[] st = e.getStackTrace();
            for (int i = 0; i < Math.min(8, st.length); i++) failure += "\n    at " + st[i];
        }
        return new Result(scenario, seed, sim.settings, failure, failure == null ? "" : sim.report(),
                sim.clients.okWrites(), sim.clients.okReads(), THREADS.getCurrentThreadCpuTime() - cpu,
                Map.copyOf(sim.trace.counts()));
    }

    private String execute() {
        long healAt = (long) scenario.chaosTicks() * Scenario.STEPS_PER_TICK;
        long end = healAt + (long) scenario.calmTicks() * Scenario.STEPS_PER_TICK;
        // A slow election after healing extends the run, up to the point where the bounds are decided.
        long limit = healAt + (long) (LIVENESS_WINDOW_TICKS + COMMIT_BOUND_TICKS) * Scenario.STEPS_PER_TICK;
        for (int id = 1; id < nodes.length; id++) nodes[id].start();
        for (now = 1; now <= end || (now <= limit && livenessPending()); now++) {
            if (now == healAt) heal();
            step(healAt, scrub == null || chaos);
        }
        String failure = verdict(healAt);
        return failure == null && scrub != null ? quietRepair(healAt) : failure;
    }

    /** One step: scheduled work, faults, deliveries, ticks, clients (when {@code clientsOn}), Readies, checks. */
    private void step(long healAt, boolean clientsOn) {
        runScheduled();
        if (chaos && now % Scenario.STEPS_PER_TICK == 0) faults.tick();
        if (craft != null && chaos && now % Scenario.STEPS_PER_TICK == 0) craft.tick();
        if (scrub != null && now % Scenario.STEPS_PER_TICK == 0) scrub.tick();
        if (hostile != null && chaos && now % Scenario.STEPS_PER_TICK == 0) hostile.tick();
        List<Message> lostSnapshots = new ArrayList<>();
        for (Message m : network.deliver(now, lostSnapshots)) {
            trace.message(now, m);
            if (hostile != null) hostile.capture(m);
            SimNode to = nodes[(int) m.to()];
            boolean arrived = to.state() != SimNode.State.DOWN;
            to.deliver(m);
            // The transport tells the sender how its snapshot stream ended (etcd's ReportSnapshot).
            if (m instanceof Message.InstallSnapshot) nodes[(int) m.from()].snapshotSent(m.to(), arrived);
        }
        for (Message m : lostSnapshots) nodes[(int) m.from()].snapshotSent(m.to(), false);
        for (int id = 1; id < nodes.length; id++) {
            if (now % Scenario.STEPS_PER_TICK == tickPhase[id]) nodes[id].tick();
        }
        if (clientsOn) clients.issue(scenario.clientRate(), this::route, this::node, size());
        if (!chaos) liveness(healAt);
        for (int id = 1; id < nodes.length; id++) {
            for (int round = 0; round < 4 && nodes[id].hasReady(); round++) nodes[id].handleReady();
        }
        if (craft != null) craft.afterStep();
        clients.expire(this::node);
    }

    /**
     * CRaft repair: no client writes, every node up and caught up with the leader, until a scrub pass that began in
     * that quiet state finds nothing to re-encode; then every value must be readable from every majority.
     */
    private String quietRepair(long healAt) {
        replaceAFollower();
        long bound = now + (long) QUIET_BOUND_TICKS * Scenario.STEPS_PER_TICK;
        long quietSince = Long.MAX_VALUE;
        for (; now <= bound; now++) {
            step(healAt, false);
            if (!quiet()) {
                quietSince = Long.MAX_VALUE;
            } else if (quietSince == Long.MAX_VALUE) {
                quietSince = now;
            } else if (scrub.settledAfter(quietSince)) {
                trace.max("ticks to a clean scrub pass when quiet", (now - quietSince) / Scenario.STEPS_PER_TICK);
                return scrub.checkEveryMajorityReads();
            }
        }
        return "craft repair: no clean scrub pass within " + QUIET_BOUND_TICKS + " ticks of the end of the run"
                + " (quiet since step " + (quietSince == Long.MAX_VALUE ? "never" : quietSince) + ")";
    }

    /**
     * CRaft repair, as an operator replaces a member: leadership moves to another voter, which holds the values
     * written before as fragments, and a third voter's disk is wiped, so it catches up from that leader (by a
     * snapshot once the log is compacted, whose rebuilds may fail).
     */
    private void replaceAFollower() {
        SimNode leader = leader();
        if (leader == null || leader.state() != SimNode.State.UP || size() < 3) return;
        List<Long> others = new ArrayList<>(leader.confState().voters());
        others.remove(leader.id);
        if (others.size() < 2) return;
        long to = others.remove(rnd.nextInt(others.size()));
        SimNode wiped = nodes[(int) (long) others.get(rnd.nextInt(others.size()))];
        trace.event(now, "QUIET: n" + leader.id + " transfers leadership to n" + to + "; n" + wiped.id + " is WIPED");
        leader.transferLeadership(to);
        if (wiped.state() == SimNode.State.DOWN) return;
        wiped.crash(0);
        wiped.disk.wipe();
        craft.memberLost();
        faults.scheduleRestart(wiped);
    }

    /** A leader whose every entry is committed and applied by every node, all of them up. */
    private boolean quiet() {
        SimNode leader = leader();
        if (leader == null || leader.state() != SimNode.State.UP) return false;
        long last = leader.storage().lastIndex();
        if (leader.storage().hardState().commit() != last) return false;
        for (int id = 1; id < nodes.length; id++) {
            if (nodes[id].state() != SimNode.State.UP || nodes[id].applied() != last) return false;
        }
        return true;
    }

    private void heal() {
        chaos = false;
        trace.event(now, "HEAL: network whole and lossless, every node up");
        schedule.removeIf(s -> !s.io());
        faults.healAll();
    }

    /** After healing: note when a leader first exists and keep the liveness writes going. */
    private void liveness(long healAt) {
        SimNode leader = leader();
        if (leader != null && leader.state() == SimNode.State.UP && leaderAfterHeal < 0) {
            leaderAfterHeal = now;
            trace.event(now, "n" + leader.id + " leads after healing (term " + leader.term() + ")");
        }
        long stepsPerTick = Scenario.STEPS_PER_TICK;
        if ((now - healAt) % (LIVENESS_EVERY_TICKS * stepsPerTick) == 0
                && now - healAt <= LIVENESS_WINDOW_TICKS * stepsPerTick) {
            slots.add(new Slot(now));
        }
        for (Slot s : slots) {
            if (s.committedAt >= 0) continue;
            Boolean outcome = s.op < 0 ? Boolean.FALSE : clients.livenessOutcome(s.op);
            if (outcome == null) continue;
            if (outcome) {
                s.committedAt = now;
            } else if (leader != null && leader.state() == SimNode.State.UP) {
                s.op = clients.livenessWrite(leader);
            }
        }
    }

    private boolean livenessPending() {
        return leaderAfterHeal < 0 || slots.stream().anyMatch(s -> s.committedAt < 0);
    }

    private String verdict(long healAt) {
        long stepsPerTick = Scenario.STEPS_PER_TICK;
        if (leaderAfterHeal >= 0) {
            trace.max("ticks to a leader after healing", (leaderAfterHeal - healAt) / stepsPerTick);
        }
        for (Slot s : slots) {
            if (s.committedAt >= 0) trace.max("ticks to commit after healing", (s.committedAt - s.created) / stepsPerTick);
        }
        if (leaderAfterHeal < 0 || leaderAfterHeal - healAt > LEADER_BOUND_TICKS * stepsPerTick) {
            return "liveness: no leader within " + LEADER_BOUND_TICKS + " ticks of healing"
                    + (leaderAfterHeal < 0 ? "" : " (first at step " + leaderAfterHeal + ")");
        }
        for (Slot s : slots) {
            long took = s.committedAt < 0 ? Long.MAX_VALUE : s.committedAt - s.created;
            if (took > COMMIT_BOUND_TICKS * stepsPerTick) {
                return "liveness: write created at step " + s.created + " after healing "
                        + (s.committedAt < 0 ? "never committed" : "took " + took + " steps")
                        + " (bound " + COMMIT_BOUND_TICKS + " ticks)";
            }
        }
        SimNode last = leader();
        if (last != null) checker.allCommittedIn(new InvariantChecker.LeaderView(last.id, last.term(), last.storage()));
        CheckResult lin = LinearizabilityChecker.check(clients.history().operations(), 5_000_000);
        if (!lin.isLinearizable()) return "linearizability: " + lin.describe();
        return null;
    }

    private void runScheduled() {
        while (!schedule.isEmpty() && schedule.peek().at <= now) {
            Scheduled s = schedule.poll();
            s.action().run();
        }
    }

    void after(long steps, Runnable action) {
        schedule.add(new Scheduled(now + steps, scheduled++, action, false));
    }

    @Override
    public void afterIo(long steps, Runnable action) {
        schedule.add(new Scheduled(now + steps, scheduled++, action, true));
    }

    /** Where a client request to {@code id} ends up: that node's known leader, unless it is down. */
    private SimNode route(long id) {
        SimNode first = nodes[(int) id];
        long lead = first.leader();
        if (lead != 0 && lead != id && nodes[(int) lead].state() != SimNode.State.DOWN) return nodes[(int) lead];
        return first;
    }

    /** The node that believes it leads the highest term, or null. */
    SimNode leader() {
        SimNode best = null;
        for (int id = 1; id < nodes.length; id++) {
            SimNode n = nodes[id];
            if (n.state() != SimNode.State.DOWN && n.role() == Role.LEADER && (best == null || n.term() > best.term())) {
                best = n;
            }
        }
        return best;
    }

    private List<InvariantChecker.LeaderView> leaderViews() {
        List<InvariantChecker.LeaderView> out = new ArrayList<>();
        for (int id = 1; id < nodes.length; id++) {
            SimNode n = nodes[id];
            if (n.state() != SimNode.State.DOWN && n.role() == Role.LEADER) {
                out.add(new InvariantChecker.LeaderView(n.id, n.term(), n.storage()));
            }
        }
        return out;
    }

    private String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("nodes at step ").append(now).append(":\n");
        for (int id = 1; id < nodes.length; id++) sb.append("  ").append(nodes[id].describe()).append('\n');
        sb.append(trace.render());
        return sb.toString();
    }

    int size() {
        return nodes.length - 1;
    }

    SimNode node(long id) {
        return nodes[(int) id];
    }

    SimNetwork network() {
        return network;
    }

    @Override
    public long now() {
        return now;
    }

    String scenarioName() {
        return scenario.name();
    }

    @Override
    public void send(Message m) {
        if (craft != null && chaos && craft.lagging(m)) return;
        // CRaft: each follower receives a snapshot of its own shares, as the server's Outbox builds it.
        if (craft != null && m instanceof Message.InstallSnapshot s) m = craft.forFollower(s);
        if (craft != null) craft.sent(m);
        network.send(m, now);
    }

    @Override
    public InvariantChecker checker() {
        return checker;
    }

    @Override
    public Trace trace() {
        return trace;
    }

    @Override
    public Clients clients() {
        return clients;
    }

    @Override
    public SplittableRandom rnd() {
        return rnd;
    }

    @Override
    public boolean tornCrash(long id) {
        if (!chaos || rnd.nextDouble() >= scenario.tornCrashRate()) return false;
        faults.scheduleRestart(nodes[(int) id]);
        return true;
    }

    @Override
    public String gatherCoded(long reader, KvStateMachine.CodedValue c) {
        return craft.gather(c);
    }

    @Override
    public boolean crashBeforeSend(long id, boolean firstLeaderCommit) {
        if (!chaos) return false;
        double chance = firstLeaderCommit ? scenario.leaderKillRate() : scenario.tornCrashRate();
        if (rnd.nextDouble() >= chance) return false;
        faults.scheduleRestart(nodes[(int) id]);
        return true;
    }

    @Override
    public void configAppended(long id) {
        if (chaos) faults.changeAppended(nodes[(int) id]);
    }

    @Override
    public void leaderElected(long id) {
        if (chaos) faults.leaderElected(nodes[(int) id]);
    }

    @Override
    public boolean localReads() {
        return scenario.localReads();
    }

    @Override
    public boolean catchUpRule() {
        return scenario.wiped() != Scenario.Wiped.VOTES_AT_ONCE;
    }

    @Override
    public int ownFragment(long id, ConfState conf) {
        return craft == null ? -1 : craft.ownFragment(id, conf);
    }

    @Override
    public int snapshotEvery() {
        return scenario.snapshotEvery();
    }
}
