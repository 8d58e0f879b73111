package io.leifdb.server.kv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where each member listens (issue 13): member id to raft and HTTP address, replicated through the
 * log so every member agrees, and kept in the state machine's meta column family so snapshots carry
 * it. Immutable; {@link #apply} gives the next book. A member with no entry is reached at the
 * address LEIFDB_MEMBER_NODES derives its id from (the bootstrap members, before their first entry).
 */
public record AddressBook(Map<Long, Addresses> entries) {
    /** The leading byte of an address entry's data; 1 is a key command, 2 an auth command. */
    public static final byte FORMAT = 3;
    private static final byte SET = 1;
    private static final int MAX_ENTRIES = 1 << 16;
    public static final AddressBook EMPTY = new AddressBook(Map.of());

    /** One member's {@code host:port} pair. */
    public record Addresses(String raft, String http) {
    }

    /** The one command: member {@code id} listens at {@code at} from now on. */
    public record Set(long id, Addresses at) {
        public byte[] encode() {
            var bytes = new ByteArrayOutputStream();
            try (var out = new DataOutputStream(bytes)) {
                out.writeByte(FORMAT);
                out.writeByte(SET);
                out.writeLong(id);
                out.writeUTF(at.raft());
                out.writeUTF(at.http());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }

    public AddressBook {
        entries = java.util.Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    /** Whether {@code data} is an address entry rather than a key or auth command. */
    public static boolean isAddress(byte[] data) {
        return data != null && data.length > 1 && data[0] == FORMAT;
    }

    public Optional<Addresses> of(long id) {
        return Optional.ofNullable(entries.get(id));
    }

    /** @throws IllegalArgumentException if {@code data} is not an address command this version reads */
    public static Set decodeSet(byte[] data) {
        if (!isAddress(data)) throw new IllegalArgumentException("not an address command");
        try (var in = new DataInputStream(new ByteArrayInputStream(data, 1, data.length - 1))) {
            if (in.readByte() != SET) throw new IllegalArgumentException("unknown address command");
            Set s = new Set(in.readLong(), new Addresses(in.readUTF(), in.readUTF()));
            if (in.available() > 0) throw new IllegalArgumentException("trailing bytes after address command");
            return s;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated address command", e);
        }
    }

    AddressBook apply(Set s) {
        Map<Long, Addresses> next = new TreeMap<>(entries);
        next.put(s.id(), s.at());
        return new AddressBook(next);
    }

    byte[] encode() {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeInt(entries.size());
            for (var e : entries.entrySet()) {
                out.writeLong(e.getKey());
                out.writeUTF(e.getValue().raft());
                out.writeUTF(e.getValue().http());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static AddressBook decode(byte[] data) throws IOException {
        try (var in = new DataInputStream(new ByteArrayInputStream(data))) {
            int n = in.readInt();
            if (n < 0 || n > MAX_ENTRIES) throw new IOException("address book count " + n + " out of range");
            Map<Long, Addresses> m = new TreeMap<>();
            for (int i = 0; i < n; i++) m.put(in.readLong(), new Addresses(in.readUTF(), in.readUTF()));
            return new AddressBook(m);
        }
    }
}
