package io.leifdb.raft;

import io.leifdb.raft.craft.Fragment;
import io.leifdb.raft.craft.FragmentCodec;
import io.leifdb.raft.craft.ReedSolomonCoder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/** The (k, N - k) Reed-Solomon codes of {@link CraftPolicy} for one set of voters, k up to the cluster's. */
final class CraftCoding implements ErasureCoding {
    private final long[] voters;
    private final int maxK;
    private final int minCodedBytes;
    private final ToIntFunction<byte[]> clearPrefix;
    /** By k + 64 * m: fragments of any code this cluster ever used may need decoding. */
    private final Map<Integer, FragmentCodec> codecs = new ConcurrentHashMap<>();

    CraftCoding(Collection<Long> voterIds, int maxK, int minCodedBytes, ToIntFunction<byte[]> clearPrefix) {
        this.voters = voterIds.stream().mapToLong(Long::longValue).sorted().toArray();
        this.maxK = maxK;
        this.minCodedBytes = minCodedBytes;
        this.clearPrefix = clearPrefix;
    }

    private FragmentCodec codec(int k, int m) {
        return codecs.computeIfAbsent(k + 64 * m, x -> new FragmentCodec(new ReedSolomonCoder(k, m)));
    }

    @Override
    public int k() {
        return maxK;
    }

    @Override
    public int m() {
        return voters.length - maxK;
    }

    @Override
    public int tolerated() {
        return (voters.length - 1) / 2;
    }

    @Override
    public int fragmentId(long voter) {
        int i = java.util.Arrays.binarySearch(voters, voter);
        return i >= 0 ? i : -1;
    }

    @Override
    public int dataShardsFor(int keepingUp) {
        return Math.min(maxK, keepingUp - tolerated());
    }

    @Override
    public Entry[] encode(Entry entry, int k) {
        if (entry.type() != EntryType.NORMAL || k < 2 || k > voters.length - tolerated()) {
            return null; // no-ops and membership changes must be readable by every voter; k = 1 is a full copy
        }
        byte[] data = entry.data();
        int clear = Math.max(0, Math.min(clearPrefix.applyAsInt(data), data.length));
        if (data.length - clear < Math.max(1, minCodedBytes)) {
            return null;
        }
        Fragment[] frags = codec(k, voters.length - k).encode(data, clear);
        Entry[] out = new Entry[frags.length];
        for (int i = 0; i < frags.length; i++) {
            out[i] = new Entry(entry.term(), entry.index(), EntryType.FRAGMENT, frags[i].toBytes());
        }
        return out;
    }

    @Override
    public Entry rebuild(Entry own, List<Entry> held) {
        Map<Integer, List<Fragment>> byCode = new LinkedHashMap<>();
        List<Entry> all = new ArrayList<>(held);
        all.add(0, own);
        for (Entry e : all) {
            if (e.index() != own.index() || e.term() != own.term()) {
                continue;
            }
            if (e.type() != EntryType.FRAGMENT) {
                return e; // a full copy of the same (index, term) is the entry itself (§5.3 log matching)
            }
            Fragment f = Fragment.fromBytes(e.data());
            byCode.computeIfAbsent(f.k() + 64 * f.m(), x -> new ArrayList<>()).add(f);
        }
        for (List<Fragment> fragments : byCode.values()) {
            Fragment first = fragments.getFirst();
            byte[] data = codec(first.k(), first.m()).decode(fragments);
            if (data != null) {
                return Entry.normal(own.term(), own.index(), data);
            }
        }
        return null;
    }

    @Override
    public List<FragmentAck> describe(long self, List<Entry> entries) {
        int id = fragmentId(self);
        List<FragmentAck> runs = new ArrayList<>();
        long runStart = -1;
        int runK = 0; // 0: a run of full copies
        int runM = 0;
        long last = -1;
        for (Entry e : entries) {
            int k = 0;
            int m = 0;
            if (e.type() == EntryType.FRAGMENT) {
                Fragment f = Fragment.fromBytes(e.data());
                if (f.id() != id || f.k() + f.m() != voters.length) {
                    break; // someone else's fragment (kept by a leader that could not rebuild it): claim nothing more
                }
                k = f.k();
                m = f.m();
            }
            if (runStart >= 0 && (k != runK || m != runM)) {
                runs.add(run(runStart, last, runK, runM, id));
                runStart = -1;
            }
            if (runStart < 0) {
                runStart = e.index();
                runK = k;
                runM = m;
            }
            last = e.index();
        }
        if (runStart >= 0) {
            runs.add(run(runStart, last, runK, runM, id));
        }
        return runs;
    }

    private static FragmentAck run(long lo, long hi, int k, int m, int id) {
        return k == 0 ? FragmentAck.full(lo, hi) : FragmentAck.fragment(lo, hi, k, m, id);
    }
}
