package io.leifdb.raft.sim;

import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.FollowerShare;
import io.leifdb.raft.Redundancy;
import io.leifdb.raft.craft.Fragment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The replicated state: an in-memory key-value map and the index it reflects. Lost on a crash.
 * Under CRaft a value is held as the server's store holds it: whole with the entry that wrote it,
 * or as this node's fragment of that entry, so a snapshot carries shares and not log references.
 */
final class KvStateMachine {
    /** CRaft: a value this node holds only as a fragment of the entry (index, term) that wrote it. */
    record CodedValue(String key, long index, long term, Fragment fragment) {
    }

    /**
     * What this node holds of one key: the write's {@code revision} (its put's index), and its share,
     * which belongs to the entry ({@code index}, {@code term}): the put, or a {@link Recode} of it.
     * Exactly one of {@code data} (the entry's data: the value whole) and {@code fragment} is set.
     */
    record Stored(long revision, long index, long term, byte[] data, Fragment fragment) implements Redundancy.Share {
        @Override
        public boolean whole() {
            return fragment == null;
        }

        @Override
        public int fragmentId() {
            return whole() ? -1 : fragment.id();
        }

        @Override
        public int k() {
            return whole() ? 0 : fragment.k();
        }

        @Override
        public int m() {
            return whole() ? 0 : fragment.m();
        }

        String value() {
            return whole() ? Command.decode(data).value() : null;
        }
    }

    private final TreeMap<String, Stored> values = new TreeMap<>();
    private long applied;

    KvStateMachine() {
    }

    /** Applies the next committed entry; returns its command, or null for a no-op or config entry. */
    Command apply(Entry e) {
        if (e.index() != applied + 1) {
            throw new IllegalStateException("applying " + e.index() + " after " + applied);
        }
        applied = e.index();
        if (e.type() == EntryType.FRAGMENT) {
            Fragment f = Fragment.fromBytes(e.data());
            Command c = CraftCommands.fromClearPart(f.clear());
            store(c.key(), Recode.is(f.clear()) ? Recode.revisionOf(f.clear()) : 0, e, null, f);
            return c;
        }
        if (e.type() != EntryType.NORMAL || e.data().length == 0) return null;
        Command c = Command.decode(e.data());
        if (c.delete()) {
            values.remove(c.key());
        } else {
            store(c.key(), Recode.is(e.data()) ? Recode.revisionOf(e.data()) : 0, e, e.data(), null);
        }
        return c;
    }

    /** A put ({@code recodeOf} 0) replaces the value; a recode replaces only the share, and only of that revision. */
    private void store(String key, long recodeOf, Entry e, byte[] data, Fragment f) {
        if (recodeOf == 0) {
            values.put(key, new Stored(e.index(), e.index(), e.term(), data, f));
            return;
        }
        Stored now = values.get(key);
        if (now != null && now.revision() == recodeOf) values.put(key, new Stored(recodeOf, e.index(), e.term(), data, f));
    }

    String get(String key) {
        Stored s = values.get(key);
        return s == null ? null : s.value();
    }

    /** Non-null when {@code key}'s value is held here only as a fragment: a read must gather k of them. */
    CodedValue coded(String key) {
        Stored s = values.get(key);
        return s == null || s.whole() ? null : new CodedValue(key, s.index(), s.term(), s.fragment());
    }

    /** What this node holds of every key. */
    NavigableMap<String, Stored> stored() {
        return Collections.unmodifiableNavigableMap(values);
    }

    long applied() {
        return applied;
    }

    byte[] snapshot() {
        return encode(values);
    }

    static byte[] encode(NavigableMap<String, Stored> values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(values.size());
            for (var e : values.entrySet()) {
                Stored s = e.getValue();
                out.writeUTF(e.getKey());
                out.writeLong(s.revision());
                out.writeLong(s.index());
                out.writeLong(s.term());
                out.writeBoolean(s.whole());
                byte[] share = s.whole() ? s.data() : s.fragment().toBytes();
                out.writeInt(share.length);
                out.write(share);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static TreeMap<String, Stored> decode(byte[] snapshot) {
        TreeMap<String, Stored> out = new TreeMap<>();
        if (snapshot.length == 0) return out;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String key = in.readUTF();
                long revision = in.readLong();
                long index = in.readLong();
                long term = in.readLong();
                boolean whole = in.readBoolean();
                byte[] share = in.readNBytes(in.readInt());
                out.put(key, new Stored(revision, index, term, whole ? share : null, whole ? null : Fragment.fromBytes(share)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Installs a leader's snapshot taken at {@code index}: the state is the snapshot's, except a share this node
     * holds that the core's {@link FollowerShare#keepHeld} keeps (the server merges its old generation alike).
     *
     * @param own this node's fragment id under the snapshot's voters; negative when none
     * @return how many shares were kept
     */
    int install(byte[] snapshot, long index, int own) {
        TreeMap<String, Stored> next = decode(snapshot);
        int kept = 0;
        for (var e : next.entrySet()) {
            Stored held = values.get(e.getKey());
            if (FollowerShare.keepHeld(own, held, e.getValue())) {
                e.setValue(held);
                kept++;
            }
        }
        values.clear();
        values.putAll(next);
        applied = index;
        return kept;
    }

    /** Replaces the whole state with a snapshot taken at {@code index} (a restart: nothing is held before it). */
    void restore(byte[] snapshot, long index) {
        values.clear();
        values.putAll(decode(snapshot));
        applied = index;
    }
}
