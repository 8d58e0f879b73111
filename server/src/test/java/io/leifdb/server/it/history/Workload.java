package io.leifdb.server.it.history;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * The client side of the test: each client thread runs random operations on a few keys against
 * random nodes, one at a time, and records every one. Its choices come from the seed, so two runs
 * ask for the same operations in the same order per client (the timing is the cluster's).
 */
public final class Workload {
    private final KvClient client;
    private final Recorder recorder;
    private final List<String> keys;
    private final int nodes;
    private final long seed;

    public Workload(KvClient client, Recorder recorder, List<String> keys, int nodes, long seed) {
        this.client = client;
        this.recorder = recorder;
        this.keys = List.copyOf(keys);
        this.nodes = nodes;
        this.seed = seed;
    }

    /** The loop of client {@code id}: runs until {@code running} turns false, finishing its current operation. */
    public void run(int id, BooleanSupplier running, KvClient.Pause pause) throws InterruptedException {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + id);
        int written = 0;
        while (running.getAsBoolean()) {
            String key = keys.get(rnd.nextInt(keys.size()));
            int dice = rnd.nextInt(100);
            if (dice < 40) {
                run(id, Request.read(key), rnd, pause);
            } else if (dice < 70) {
                run(id, Request.write(key, value(id, written++)), rnd, pause);
            } else if (dice < 80) {
                run(id, Request.delete(key), rnd, pause);
            } else {
                // Compare-and-set: read, then write only if the key still holds what was read.
                ReplyRules.Result seen = run(id, Request.read(key), rnd, pause);
                if (seen instanceof ReplyRules.Result.Ok ok) {
                    String next = value(id, written++);
                    if (ok.value() == null) {
                        run(id, Request.ifAbsent(key, next), rnd, pause);
                    } else if (ok.etag() != null) {
                        run(id, Request.ifMatch(key, ok.value(), ok.etag(), next), rnd, pause);
                    }
                }
            }
        }
    }

    /** Runs one request and records it; also used by the test for its final reads and liveness writes. */
    public ReplyRules.Result run(int id, Request r, SplittableRandom rnd, KvClient.Pause pause)
            throws InterruptedException {
        return runAt(id, r, rnd.nextInt(nodes), rnd, pause);
    }

    /** As {@link #run(int, Request, SplittableRandom, KvClient.Pause)}, sending first to {@code node}. */
    public ReplyRules.Result runAt(int id, Request r, int node, SplittableRandom rnd, KvClient.Pause pause)
            throws InterruptedException {
        Recorder.Call call = recorder.begin(id, r);
        List<Attempt> trail = client.execute(r, node, () -> rnd.nextInt(nodes), pause);
        return recorder.end(call, trail);
    }

    /** Unique across the whole run, so a read names the write it saw. */
    static String value(int client, int n) {
        return "c" + client + "-" + n;
    }
}
