package io.leifdb.raft.sim;

import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.raft.craft.Fragment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/** The replicated state: an in-memory key-value map and the index it reflects. Lost on a crash. */
final class KvStateMachine {
    /** CRaft: a value this node holds only as a fragment of the entry (index, term) that wrote it. */
    record CodedValue(long index, long term, Fragment fragment) {
    }

    private final TreeMap<String, String> data = new TreeMap<>();
    /** CRaft: keys whose value is held as a fragment; the key itself is applied in full. */
    private final TreeMap<String, CodedValue> coded = new TreeMap<>();
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
            data.remove(c.key());
            coded.put(c.key(), new CodedValue(e.index(), e.term(), f));
            return c;
        }
        if (e.type() != EntryType.NORMAL || e.data().length == 0) return null;
        Command c = Command.decode(e.data());
        coded.remove(c.key());
        if (c.delete()) {
            data.remove(c.key());
        } else {
            data.put(c.key(), c.value());
        }
        return c;
    }

    String get(String key) {
        return data.get(key);
    }

    /** Non-null when {@code key}'s value is held here only as a fragment: a read must gather k of them. */
    CodedValue coded(String key) {
        return coded.get(key);
    }

    long applied() {
        return applied;
    }

    byte[] snapshot() {
        if (!coded.isEmpty()) {
            throw new IllegalStateException("snapshots of coded values are not modelled: CRaft scenarios never compact");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(data.size());
            for (Map.Entry<String, String> e : data.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Replaces the whole state with a snapshot taken at {@code index}. */
    void restore(byte[] snapshot, long index) {
        data.clear();
        coded.clear();
        if (snapshot.length > 0) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
                int n = in.readInt();
                for (int i = 0; i < n; i++) data.put(in.readUTF(), in.readUTF());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        applied = index;
    }
}
