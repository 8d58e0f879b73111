package io.leifdb.raft.sim;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * How a {@link Command} is cut for CRaft, as the server's KV codec does it: the operation id, the
 * kind and the key stay in clear in every fragment, so that a follower applies the key in full;
 * only the value is coded. A delete has no value, so nothing of it is coded.
 */
final class CraftCommands {
    private CraftCommands() {
    }

    /** Bytes of {@link Command#encode()} that stay in clear: opId (8), kind (1), key (2 + UTF-8); a recode's revision (8) too. */
    static int clearPrefix(byte[] data) {
        if (data.length < 11) return data.length;
        int keyLength = ((data[9] & 0xff) << 8) | (data[10] & 0xff);
        return Math.min(data.length, 11 + keyLength + (data[8] == Recode.KIND ? 8 : 0));
    }

    /** The command a fragment's clear part describes, without its value. */
    static Command fromClearPart(byte[] clear) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(clear))) {
            long opId = in.readLong();
            boolean delete = in.readByte() == 1;
            return new Command(opId, delete, in.readUTF(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
