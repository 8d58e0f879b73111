package io.leifdb.server.it.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leifdb.server.it.TestCluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Injects the faults of a {@link FaultPlan} into a real cluster, one at a time, healing each before
 * the next calm period. Every step goes into a timestamped log, on the clients' clock, so a
 * violation can be placed against the faults around it.
 */
public final class Nemesis {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LEADER_WITHIN = Duration.ofSeconds(20);

    private final TestCluster cluster;
    private final FaultPlan plan;
    private final long t0;
    /** Counted down when the test stops early; every wait of the nemesis ends with it. */
    private final CountDownLatch abort;
    private final List<String> log = new ArrayList<>();
    private final Set<Integer> paused = new HashSet<>();
    private int executed;

    /** @param t0 the {@link System#nanoTime()} the history's times count from */
    public Nemesis(TestCluster cluster, FaultPlan plan, long t0, CountDownLatch abort) {
        this.cluster = cluster;
        this.plan = plan;
        this.t0 = t0;
        this.abort = abort;
    }

    /** Runs the whole plan; returns early, leaving the last fault in place, if the test aborts. */
    public void run() throws IOException, InterruptedException {
        for (FaultPlan.Fault f : plan.faults()) {
            if (hold(f.calmMs())) return;
            switch (f.kind()) {
                case KILL_NODE -> killAndRestart(f.node(), f.holdMs());
                case KILL_LEADER -> killAndRestart(leader(), f.holdMs());
                case PAUSE_LEADER -> pauseLeader(f.holdMs());
            }
            if (abort.getCount() == 0) return;
            executed++;
        }
        note("plan done");
    }

    private void killAndRestart(int node, long holdMs) throws IOException, InterruptedException {
        note("kill -9 n" + node + role(node));
        cluster.kill9(node);
        if (hold(holdMs)) return;
        note("restart n" + node);
        cluster.startNode(node);
        note("n" + node + " serving again");
    }

    private void pauseLeader(long holdMs) throws IOException, InterruptedException {
        int old = leader();
        long start = System.nanoTime();
        note("SIGSTOP n" + old + " (leader)");
        cluster.pause(old);
        paused.add(old);
        int[] next = {-1};
        await("a new leader while n" + old + " is paused").atMost(LEADER_WITHIN)
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    next[0] = leaderAmong(old).orElse(-1);
                    return next[0] >= 0 || abort.getCount() == 0;
                });
        if (next[0] >= 0) note("n" + next[0] + " leads while n" + old + " is paused");
        long held = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (hold(holdMs - held)) return;
        note("SIGCONT n" + old);
        cluster.resume(old);
        paused.remove(old);
    }

    /** Resumes every paused node and restarts every dead one: the cluster ends whole. */
    public void heal() throws IOException, InterruptedException {
        for (int p : List.copyOf(paused)) {
            note("heal: SIGCONT n" + p);
            cluster.resume(p);
            paused.remove(p);
        }
        for (int i = 0; i < cluster.size(); i++) {
            if (!cluster.isRunning(i)) {
                note("heal: restart n" + i);
                cluster.startNode(i);
            }
        }
        note("healed");
    }

    /** The node that leads now, waiting (bounded) for one to be elected. */
    private int leader() {
        int[] found = {-1};
        await("a leader to fault").atMost(LEADER_WITHIN).pollInterval(Duration.ofMillis(50))
                .until(() -> (found[0] = leaderAmong(-1).orElse(-1)) >= 0);
        return found[0];
    }

    /** A running node other than {@code except} that reports itself leader; the highest term wins. */
    private Optional<Integer> leaderAmong(int except) {
        int best = -1;
        long bestTerm = -1;
        for (int i = 0; i < cluster.size(); i++) {
            if (i == except || paused.contains(i) || !cluster.isRunning(i)) continue;
            Optional<String> h = cluster.health(i);
            if (h.isEmpty()) continue;
            try {
                JsonNode j = JSON.readTree(h.get());
                if ("LEADER".equals(j.path("role").asText()) && j.path("term").asLong() > bestTerm) {
                    best = i;
                    bestTerm = j.path("term").asLong();
                }
            } catch (IOException notJson) {
                // a node mid-restart; ask again on the next poll
            }
        }
        return best < 0 ? Optional.empty() : Optional.of(best);
    }

    private String role(int node) {
        return leaderAmong(-1).filter(l -> l == node).isPresent() ? " (leader)" : "";
    }

    /** Holds the current state for {@code ms}; true if the test aborted meanwhile. */
    private boolean hold(long ms) throws InterruptedException {
        return ms > 0 ? abort.await(ms, TimeUnit.MILLISECONDS) : abort.getCount() == 0;
    }

    private synchronized void note(String event) {
        log.add(String.format("%9.3f ms  %s", (System.nanoTime() - t0) / 1e6, event));
    }

    /** How many faults of the plan ran to their end. */
    public int executed() {
        return executed;
    }

    public synchronized List<String> log() {
        return List.copyOf(log);
    }
}
