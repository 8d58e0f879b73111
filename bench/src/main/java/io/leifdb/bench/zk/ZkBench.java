package io.leifdb.bench.zk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * The ZooKeeper side of the comparison, with its official client and the load shape of
 * {@code leifdb bench}: keys "k" + 15 digits under one parent znode, values of a fixed size, a closed
 * loop per connection. Writes are {@code setData}; linearizable reads are {@code sync} then
 * {@code getData} (ZooKeeper reads are served locally, so sync is what makes them linearizable).
 * Prints one JSON object with the fields the bench scripts read from {@code leifdb bench --json}.
 *
 * <p>Usage: {@code java -cp leifdb-bench.jar io.leifdb.bench.zk.ZkBench CONNECT write|read CONNECTIONS
 * SECONDS KEYS VALUE_SIZE}, where CONNECT is ZooKeeper's "host:port,host:port" string. The keys are
 * created first when missing (not measured).
 */
public final class ZkBench {
    static final String PARENT = "/leifdb-bench";
    private static final int SESSION_TIMEOUT_MS = 30_000;
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);

    private ZkBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6 || !(args[1].equals("write") || args[1].equals("read"))) {
            System.err.println("usage: ZkBench CONNECT write|read CONNECTIONS SECONDS KEYS VALUE_SIZE");
            System.exit(2);
        }
        String connect = args[0];
        boolean write = args[1].equals("write");
        int connections = positive(args[2], "CONNECTIONS");
        int seconds = positive(args[3], "SECONDS");
        int keys = positive(args[4], "KEYS");
        int valueSize = Integer.parseInt(args[5]);
        byte[] value = "v".repeat(valueSize).getBytes(StandardCharsets.US_ASCII);

        List<ZooKeeper> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) sessions.add(connect(connect));
            createKeys(sessions, keys, value);
            Recorder recorder = new Recorder(MAX_MICROS, 3);
            LongAdder errors = new LongAdder();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                ZooKeeper zk = sessions.get(i);
                SplittableRandom random = new SplittableRandom(42L + i);
                threads.add(Thread.ofPlatform().name("zk-" + i).start(() ->
                        loop(zk, write, keys, value, random, end, recorder, errors)));
            }
            long start = System.nanoTime();
            for (Thread t : threads) t.join();
            double measured = (System.nanoTime() - start) / 1e9;
            Histogram h = recorder.getIntervalHistogram();
            System.out.printf(Locale.ROOT, "{\"system\":\"zookeeper\",\"workload\":\"%s\",\"connections\":%d,"
                            + "\"ops\":%d,\"throughput\":%.1f,\"latencyMs\":{\"all\":{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f}},"
                            + "\"errors\":{\"total\":%d}}%n",
                    args[1], connections, h.getTotalCount(), h.getTotalCount() / measured,
                    h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
                    errors.sum());
        } finally {
            for (ZooKeeper zk : sessions) zk.close();
        }
    }

    private static void loop(ZooKeeper zk, boolean write, int keys, byte[] value, SplittableRandom random, long end,
                             Recorder recorder, LongAdder errors) {
        while (System.nanoTime() < end) {
            String path = path(random.nextInt(keys));
            long t0 = System.nanoTime();
            try {
                if (write) {
                    zk.setData(path, value, -1);
                } else {
                    sync(zk, path);
                    zk.getData(path, false, null);
                }
                recorder.recordValue(Math.min(Math.max((System.nanoTime() - t0) / 1000, 1), MAX_MICROS));
            } catch (KeeperException e) {
                errors.increment();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** ZooKeeper's sync is asynchronous only; a read after it sees every write committed before it. */
    private static void sync(ZooKeeper zk, String path) throws InterruptedException, KeeperException {
        CountDownLatch done = new CountDownLatch(1);
        int[] rc = new int[1];
        zk.sync(path, (code, p, ctx) -> {
            rc[0] = code;
            done.countDown();
        }, null);
        if (!done.await(SESSION_TIMEOUT_MS, TimeUnit.MILLISECONDS)) throw new KeeperException.OperationTimeoutException();
        if (rc[0] != KeeperException.Code.OK.intValue()) throw KeeperException.create(KeeperException.Code.get(rc[0]), path);
    }

    /** Creates the parent and every key not there yet, spread over the sessions; asynchronous to keep it short. */
    private static void createKeys(List<ZooKeeper> sessions, int keys, byte[] value) throws Exception {
        try {
            sessions.getFirst().create(PARENT, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException exists) {
            // a previous run's keys are reused
        }
        CountDownLatch done = new CountDownLatch(keys);
        LongAdder failed = new LongAdder();
        for (int i = 0; i < keys; i++) {
            sessions.get(i % sessions.size()).create(path(i), value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                    (rc, p, ctx, name) -> {
                        if (rc != KeeperException.Code.OK.intValue() && rc != KeeperException.Code.NODEEXISTS.intValue()) {
                            failed.increment();
                        }
                        done.countDown();
                    }, null);
        }
        if (!done.await(5, TimeUnit.MINUTES) || failed.sum() > 0) {
            throw new IllegalStateException(failed.sum() + " of " + keys + " keys could not be created");
        }
    }

    static String path(int i) {
        return String.format(Locale.ROOT, "%s/k%015d", PARENT, i);
    }

    private static ZooKeeper connect(String connect) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connect, SESSION_TIMEOUT_MS, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
        });
        if (!connected.await(30, TimeUnit.SECONDS)) {
            zk.close();
            throw new IllegalStateException("no ZooKeeper session with " + connect + " within 30 s");
        }
        return zk;
    }

    private static int positive(String s, String what) {
        int n = Integer.parseInt(s);
        if (n < 1) throw new IllegalArgumentException(what + " must be 1 or more, not " + s);
        return n;
    }
}
