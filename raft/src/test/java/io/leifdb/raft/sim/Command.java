package io.leifdb.raft.sim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A client command as it travels in a log entry. {@code opId} identifies the client operation in
 * the history, so a node that applies the entry knows whose write it acknowledges.
 */
record Command(long opId, boolean delete, String key, String value) {
    static Command put(long opId, String key, String value) {
        return new Command(opId, false, key, value);
    }

    static Command delete(long opId, String key) {
        return new Command(opId, true, key, null);
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(opId);
            out.writeBoolean(delete);
            out.writeUTF(key);
            if (!delete) out.writeUTF(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A put, a delete, or a {@link Recode} read as the put of its value (the revision skipped). */
    static Command decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            long opId = in.readLong();
            byte kind = in.readByte();
            boolean delete = kind == 1;
            String key = in.readUTF();
            if (kind == Recode.KIND) in.readLong();
            return new Command(opId, delete, key, delete ? null : in.readUTF());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return delete ? "del(" + key + ")#" + opId : "put(" + key + "=" + value + ")#" + opId;
    }
}
