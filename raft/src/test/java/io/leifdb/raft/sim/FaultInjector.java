package io.leifdb.raft.sim;

import io.leifdb.raft.ConfState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Draws the faults of a run, once per Raft tick, at the rates of its {@link Scenario}: partitions
 * (a symmetric split, a one-way cut, or the leader isolated), crashes, freezes and leadership
 * transfers. Each fault schedules its own undo after a random number of ticks.
 */
final class FaultInjector {
    private final Scenario scenario;
    private final Simulation sim;
    private final SplittableRandom rnd;
    /** Whether leaders promote caught-up learners themselves; otherwise the injector promotes them. */
    private final boolean autoPromote;
    private final int initialSize;
    /** Ids that were ever asked to join; a spare outside this set never was a member. */
    private final Set<Long> joined = new TreeSet<>();
    /** Ids whose disks died for good (issue 13, replace): they never restart. */
    private final Set<Long> retired = new TreeSet<>();

    FaultInjector(Scenario scenario, Simulation sim, SplittableRandom rnd, int initialSize, boolean autoPromote) {
        this.scenario = scenario;
        this.sim = sim;
        this.rnd = rnd;
        this.initialSize = initialSize;
        this.autoPromote = autoPromote;
        for (long id = 1; id <= initialSize; id++) joined.add(id);
    }

    void tick() {
        double partition = rnd.nextDouble();
        double crash = rnd.nextDouble();
        double freeze = rnd.nextDouble();
        double transfer = rnd.nextDouble();
        double membership = rnd.nextDouble();
        if (partition < scenario.partitionRate()) partition();
        if (crash < scenario.crashRate()) crash();
        if (freeze < scenario.freezeRate()) freeze();
        if (transfer < scenario.transferRate()) transfer();
        if (membership < scenario.membershipRate()) changeMembership();
        // Drawn only when used, so the other scenarios draw exactly what they drew before.
        if (scenario.wipeRate() > 0 && rnd.nextDouble() < scenario.wipeRate()) wipe();
        if (scenario.churn().replaceRate() > 0 && rnd.nextDouble() < scenario.churn().replaceRate()) replace();
    }

    /**
     * Issue 12: a follower crashes and its disk is erased; it restarts empty, its votes, term and
     * acknowledged entries gone. One at a time (a minority), so the others can still elect.
     */
    private void wipe() {
        for (long id = 1; id <= sim.size(); id++) if (sim.node(id).disk.lostState()) return;
        SimNode target = sim.node(1 + rnd.nextInt(sim.size()));
        if (target.state() == SimNode.State.DOWN || target == sim.leader()) return;
        sim.trace().event(sim.now(), "n" + target.id + " CRASHES and its disk is WIPED (" + target.role() + ", term "
                + target.term() + ")");
        sim.trace().count("wipe");
        target.crash(0);
        target.disk.wipe();
        scheduleRestart(target);
    }

    /**
     * One single-server change at the leader (thesis §4.1), as an operator would ask for it: remove a
     * member whose disk died for good; promote a learner when promotion is by hand (when the leader
     * promotes on its own, usually wait for it); else grow (add a node that is not a member, a spare
     * that never was one first, as a learner) or shrink (remove a random voter, the leader included,
     * never the last, and never leaving dead members a majority of the voters).
     */
    private void changeMembership() {
        SimNode leader = sim.leader();
        if (leader == null || leader.state() != SimNode.State.UP) return;
        ConfState cur = leader.confState();
        TreeSet<Long> voters = new TreeSet<>(cur.voters());
        TreeSet<Long> learners = new TreeSet<>(cur.learners());
        List<Long> outsiders = new ArrayList<>();
        for (long id = 1; id <= sim.size(); id++) {
            if (!voters.contains(id) && !learners.contains(id) && !retired.contains(id)) outsiders.add(id);
        }
        outsiders.sort((a, b) -> Boolean.compare(joined.contains(a), joined.contains(b))); // fresh spares first
        Long dead = retired.stream().filter(id -> voters.contains(id) || learners.contains(id)).findFirst().orElse(null);
        String what;
        if (dead != null && (learners.isEmpty() || rnd.nextBoolean())) {
            voters.remove(dead);
            learners.remove(dead);
            what = "remove n" + dead + ", whose disk died";
        } else if (!learners.isEmpty() && !autoPromote) {
            long id = learners.first();
            learners.remove(id);
            voters.add(id);
            what = "promote learner n" + id;
        } else if (!learners.isEmpty() && rnd.nextDouble() < 0.7) {
            return; // the leader promotes it once it has caught up
        } else if (!outsiders.isEmpty() && (voters.size() == 1 || rnd.nextBoolean())) {
            long id = sim.size() > initialSize ? outsiders.getFirst() : outsiders.get(rnd.nextInt(outsiders.size()));
            learners.add(id);
            joined.add(id);
            what = "add n" + id + " as learner";
        } else if (voters.size() > 1) {
            long id = new ArrayList<>(voters).get(rnd.nextInt(voters.size()));
            voters.remove(id);
            if (!liveMajority(voters)) return;
            what = "remove voter n" + id;
        } else {
            return;
        }
        if (leader.proposeConfChange(ConfState.of(voters, learners))) {
            sim.trace().event(sim.now(), "n" + leader.id + " asked to change membership: " + what);
        }
    }

    /** Members that will run again (every one but those whose disks died) make a majority of {@code voters}. */
    private boolean liveMajority(Set<Long> voters) {
        long live = voters.stream().filter(id -> !retired.contains(id)).count();
        return live >= voters.size() / 2 + 1;
    }

    /**
     * Issue 13, replace: a voter's disk dies for good. It never restarts; a spare that never was a
     * member will join in its place (the injector adds it first), while its old id stays a voter until
     * the injector removes it. Only when no change is in flight and the dead one is a minority of
     * every membership that can be in force: at most one dead member at a time, three voters at least.
     */
    private void replace() {
        SimNode leader = sim.leader();
        if (leader == null || leader.state() != SimNode.State.UP || leader.changePending()) return;
        ConfState cur = leader.confState();
        if (cur.voters().size() < 3 || retired.stream().anyMatch(id -> cur.voters().contains(id)
                || cur.learners().contains(id))) return;
        // Every voter up and on the leader's membership, none with a change in flight: a change still in
        // some log (membership-churn seed 4380: a removal only the old leader held) could otherwise need
        // the dead member's vote for ever, which no Raft can do without.
        for (long id : cur.voters()) {
            SimNode n = sim.node(id);
            if (n.state() != SimNode.State.UP || !n.confState().equals(cur) || n.changePending()) return;
        }
        boolean spare = false;
        for (long id = initialSize + 1; id <= sim.size(); id++) spare |= !joined.contains(id);
        if (!spare) return;
        List<Long> candidates = cur.voters().stream().filter(id -> id != leader.id).toList();
        SimNode target = sim.node(candidates.get(rnd.nextInt(candidates.size())));
        retired.add(target.id);
        sim.trace().event(sim.now(), "n" + target.id + "'s disk DIES for good (" + target.role() + ", term "
                + target.term() + "): a new member will take its place");
        sim.trace().count("replace");
        if (target.state() != SimNode.State.DOWN) target.crash(0);
    }

    /**
     * A leader appended a membership change: with chance {@code leaderKillRate}, the leader crashes,
     * is cut off or is asked to hand over a few steps later, likely before the change commits.
     */
    void changeAppended(SimNode leader) {
        if (scenario.leaderKillRate() == 0 || rnd.nextDouble() >= scenario.leaderKillRate() * 4) return;
        long term = leader.term();
        int how = rnd.nextInt(3);
        sim.after(1 + rnd.nextInt(2 * Scenario.STEPS_PER_TICK), () -> {
            if (leader.state() != SimNode.State.UP || leader.role() != io.leifdb.raft.Role.LEADER
                    || leader.term() != term) {
                return;
            }
            sim.trace().count("leader disrupted mid-change");
            if (how == 0) {
                sim.trace().event(sim.now(), "n" + leader.id + " CRASHES in the middle of a membership change");
                leader.crash(0);
                scheduleRestart(leader);
            } else if (how == 1) {
                isolate(leader);
            } else {
                List<Long> others = leader.confState().voters().stream().filter(id -> id != leader.id).toList();
                if (others.isEmpty()) return;
                long to = others.get(rnd.nextInt(others.size()));
                sim.trace().event(sim.now(), "n" + leader.id + " asked to transfer leadership to n" + to
                        + " in the middle of a membership change");
                leader.transferLeadership(to);
            }
        });
    }

    /**
     * A node just became leader: with chance {@code leaderKillRate}, crash it or cut it off a few
     * steps from now, likely before its no-op and first proposals reach a majority.
     */
    void leaderElected(SimNode node) {
        if (rnd.nextDouble() >= scenario.leaderKillRate()) return;
        long term = node.term();
        boolean crash = rnd.nextBoolean();
        sim.after(1 + rnd.nextInt(4 * Scenario.STEPS_PER_TICK), () -> {
            if (node.state() != SimNode.State.UP || node.role() != io.leifdb.raft.Role.LEADER || node.term() != term) {
                return;
            }
            if (crash) {
                sim.trace().event(sim.now(), "n" + node.id + " CRASHES just after winning term " + term);
                sim.trace().count("crash");
                node.crash(0);
                scheduleRestart(node);
            } else {
                isolate(node);
            }
        });
    }

    /** After a torn crash inside a Ready, the node comes back like any other crashed node. */
    void scheduleRestart(SimNode node) {
        sim.after(ticks(5, 50), () -> restart(node));
    }

    private void partition() {
        int n = sim.size();
        if (n < 2) return;
        SimNetwork net = sim.network();
        int kind = rnd.nextInt(3);
        String what;
        if (kind == 0) {
            List<Long> ids = shuffledIds();
            int k = 1 + rnd.nextInt(n - 1);
            Set<Long> side = new HashSet<>(ids.subList(0, k));
            Set<Long> other = new HashSet<>(ids.subList(k, n));
            net.partition(side, other);
            what = "partition " + new java.util.TreeSet<>(side) + " | " + new java.util.TreeSet<>(other);
        } else if (kind == 1) {
            long from = 1 + rnd.nextInt(n);
            long to = 1 + rnd.nextInt(n - 1);
            if (to >= from) to++;
            net.cutOneWay(from, to);
            what = "cut one way n" + from + " -> n" + to;
        } else {
            SimNode leader = sim.leader();
            if (leader != null) isolate(leader);
            return;
        }
        sim.trace().event(sim.now(), what);
        sim.trace().count("partition");
        healLater();
    }

    private void isolate(SimNode node) {
        Set<Long> others = new HashSet<>();
        for (long id = 1; id <= sim.size(); id++) if (id != node.id) others.add(id);
        sim.network().partition(Set.of(node.id), others);
        sim.trace().event(sim.now(), "isolate n" + node.id + " (" + node.role() + ", term " + node.term() + ")");
        sim.trace().count("partition");
        healLater();
    }

    private void healLater() {
        sim.after(ticks(10, 60), () -> {
            sim.network().heal();
            sim.trace().event(sim.now(), "network heals");
        });
    }

    private void crash() {
        SimNode target = pick(0.5);
        if (target == null || target.state() == SimNode.State.DOWN) return;
        sim.trace().event(sim.now(), "n" + target.id + " CRASHES (" + target.role() + ", term " + target.term() + ")");
        sim.trace().count("crash");
        target.crash(0);
        scheduleRestart(target);
    }

    private void freeze() {
        SimNode target = pick(0.7);
        if (target == null || target.state() != SimNode.State.UP) return;
        sim.trace().event(sim.now(), "n" + target.id + " FREEZES (" + target.role() + ", term " + target.term() + ")");
        sim.trace().count("freeze");
        target.freeze();
        sim.after(ticks(10, 80), () -> resume(target));
    }

    private void transfer() {
        SimNode leader = sim.leader();
        if (leader == null || sim.size() < 2) return;
        long to = 1 + rnd.nextInt(sim.size() - 1);
        if (to >= leader.id) to++;
        sim.trace().event(sim.now(), "n" + leader.id + " asked to transfer leadership to n" + to);
        sim.trace().count("transfer");
        leader.transferLeadership(to);
    }

    private void restart(SimNode node) {
        if (node.state() != SimNode.State.DOWN || retired.contains(node.id)) return;
        if (node.disk.lostState() && scenario.wiped() == Scenario.Wiped.CATCHES_UP_AT_MAJORITY_TERM
                && node.disk.hardState().term() == 0) {
            long floor = termFloor(node);
            node.disk.startAtTerm(floor);
            sim.trace().event(sim.now(), "n" + node.id + " asks the others: a majority has seen term " + floor);
        }
        sim.trace().event(sim.now(), "n" + node.id + " RESTARTS from disk (snapshot "
                + node.disk.snapshot().meta().index() + ", " + node.disk.entries().size() + " entries, "
                + node.disk.hardState() + ")");
        node.start();
    }

    private void resume(SimNode node) {
        if (node.state() != SimNode.State.FROZEN) return;
        sim.trace().event(sim.now(), "n" + node.id + " RESUMES (" + node.role() + ", term " + node.term() + ")");
        node.resume();
    }

    /** Heals every fault: the network, crashed nodes and frozen nodes. */
    void healAll() {
        sim.network().heal();
        sim.network().conditions(0, 0, scenario.maxDelaySteps());
        for (long id = 1; id <= sim.size(); id++) {
            SimNode node = sim.node(id);
            restart(node);
            resume(node);
        }
    }

    /**
     * What the server learns before starting a wiped member: the highest term among the answers of
     * n - q + 1 others (q a majority of n), the worst such set (the lowest durable terms). Every
     * majority that may have counted the lost member meets that set elsewhere, so no leader elected
     * with its lost vote, and no term it had adopted from one, lies above the floor.
     */
    private long termFloor(SimNode wiped) {
        List<Long> terms = new ArrayList<>();
        for (long id = 1; id <= sim.size(); id++) if (id != wiped.id) terms.add(sim.node(id).disk.hardState().term());
        terms.sort(null);
        int quorum = sim.size() / 2 + 1;
        return terms.get(sim.size() - quorum);
    }

    /** The leader with chance {@code leaderBias} (when there is one), otherwise any node. */
    private SimNode pick(double leaderBias) {
        SimNode leader = sim.leader();
        if (leader != null && rnd.nextDouble() < leaderBias) return leader;
        return sim.node(1 + rnd.nextInt(sim.size()));
    }

    private List<Long> shuffledIds() {
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= sim.size(); id++) ids.add(id);
        for (int i = ids.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            Long t = ids.get(i);
            ids.set(i, ids.get(j));
            ids.set(j, t);
        }
        return ids;
    }

    private long ticks(int lo, int hi) {
        return (long) (lo + rnd.nextInt(hi - lo + 1)) * Scenario.STEPS_PER_TICK;
    }
}
