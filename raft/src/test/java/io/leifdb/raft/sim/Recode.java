package io.leifdb.raft.sim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The simulation's repair entry, as the server's {@code kv/Recode}: the value of {@code key} at
 * {@code revision} written again through the log, so that CRaft codes it for today's voters and
 * each voter stores its own share of this entry. Applied only while the key still holds that
 * revision; the value and the revision stay. Laid out as a {@link Command} with kind 2: opId 0,
 * kind, key, revision, value, so the clear part (everything before the value) names key and revision.
 */
record Recode(String key, long revision, String value) {
    static final byte KIND = 2;

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(0);
            out.writeByte(KIND);
            out.writeUTF(key);
            out.writeLong(revision);
            out.writeUTF(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static boolean is(byte[] data) {
        return data.length > 8 && data[8] == KIND;
    }

    /** The revision a recode's data or clear part names. */
    static long revisionOf(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            in.readLong();
            in.readByte();
            in.readUTF();
            return in.readLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
