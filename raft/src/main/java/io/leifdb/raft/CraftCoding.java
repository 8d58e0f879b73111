package io.leifdb.raft;

import io.leifdb.raft.craft.Fragment;
import io.leifdb.raft.craft.FragmentCodec;
import io.leifdb.raft.craft.ReedSolomonCoder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.ToIntFunction;

/** The (k, m) Reed-Solomon code of {@link CraftPolicy} for one set of voters. */
final class CraftCoding implements ErasureCoding {
    private final long[] voters;
    private final int k;
    private final int m;
    private final int minCodedBytes;
    private final ToIntFunction<byte[]> clearPrefix;
    private final FragmentCodec codec;

    CraftCoding(Collection<Long> voterIds, int k, int m, int minCodedBytes, ToIntFunction<byte[]> clearPrefix) {
        this.voters = voterIds.stream().mapToLong(Long::longValue).sorted().toArray();
        this.k = k;
        this.m = m;
        this.minCodedBytes = minCodedBytes;
        this.clearPrefix = clearPrefix;
        this.codec = new FragmentCodec(new ReedSolomonCoder(k, m));
    }

    @Override
    public int k() {
        return k;
    }

    @Override
    public int m() {
        return m;
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
    public boolean codedMode(int liveVoters) {
        return liveVoters >= tolerated() + k;
    }

    @Override
    public Entry[] encode(Entry entry) {
        if (entry.type() != EntryType.NORMAL) {
            return null; // no-ops and membership changes must be readable by every voter
        }
        byte[] data = entry.data();
        int clear = Math.max(0, Math.min(clearPrefix.applyAsInt(data), data.length));
        if (data.length - clear < Math.max(1, minCodedBytes)) {
            return null;
        }
        Fragment[] frags = codec.encode(data, clear);
        Entry[] out = new Entry[frags.length];
        for (int i = 0; i < frags.length; i++) {
            out[i] = new Entry(entry.term(), entry.index(), EntryType.FRAGMENT, frags[i].toBytes());
        }
        return out;
    }

    @Override
    public Entry rebuild(Entry own, List<Entry> held) {
        List<Fragment> fragments = new ArrayList<>();
        List<Entry> all = new ArrayList<>(held);
        all.add(0, own);
        for (Entry e : all) {
            if (e.index() != own.index() || e.term() != own.term()) {
                continue;
            }
            if (e.type() != EntryType.FRAGMENT) {
                return e; // a full copy of the same (index, term) is the entry itself (§5.3 log matching)
            }
            fragments.add(Fragment.fromBytes(e.data()));
        }
        byte[] data = codec.decode(fragments);
        return data == null ? null : Entry.normal(own.term(), own.index(), data);
    }

    @Override
    public List<FragmentAck> describe(long self, List<Entry> entries) {
        int id = fragmentId(self);
        List<FragmentAck> runs = new ArrayList<>();
        long runStart = -1;
        boolean runFull = false;
        long last = -1;
        for (Entry e : entries) {
            boolean full = e.type() != EntryType.FRAGMENT;
            if (!full) {
                Fragment f = Fragment.fromBytes(e.data());
                if (f.id() != id || f.k() != k || f.m() != m) {
                    break; // someone else's fragment (kept by a leader that could not rebuild it): claim nothing more
                }
            }
            if (runStart >= 0 && full != runFull) {
                runs.add(run(runStart, last, runFull, id));
                runStart = -1;
            }
            if (runStart < 0) {
                runStart = e.index();
                runFull = full;
            }
            last = e.index();
        }
        if (runStart >= 0) {
            runs.add(run(runStart, last, runFull, id));
        }
        return runs;
    }

    private FragmentAck run(long lo, long hi, boolean full, int id) {
        return full ? FragmentAck.full(lo, hi) : FragmentAck.fragment(lo, hi, k, m, id);
    }
}
