package io.leifdb.raft;

import java.nio.ByteBuffer;
import java.util.TreeSet;

/**
 * A membership as bytes, the one encoding: {@link EntryType#CONFIG} entries and the server's snapshot
 * metadata. CRaft's coding parameters, when recorded, follow the learners; bytes written before
 * they existed simply end there.
 */
public final class ConfStateCodec {
    private static final byte VERSION = 1;

    private ConfStateCodec() {
    }

    public static byte[] encode(ConfState conf) {
        int coding = conf.coding() == null ? 0 : CodingParams.BYTES;
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 * (conf.voters().size() + conf.learners().size()) + coding);
        b.put(VERSION);
        b.putInt(conf.voters().size());
        conf.voters().forEach(b::putLong);
        b.putInt(conf.learners().size());
        conf.learners().forEach(b::putLong);
        if (conf.coding() != null) {
            b.put(conf.coding().toBytes());
        }
        return b.array();
    }

    /** @throws IllegalArgumentException when the bytes are not an encoded membership */
    public static ConfState decode(byte[] data) {
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            if (b.get() != VERSION) {
                throw new IllegalArgumentException("unknown membership encoding version");
            }
            TreeSet<Long> voters = new TreeSet<>();
            for (int n = b.getInt(); n > 0; n--) {
                voters.add(b.getLong());
            }
            TreeSet<Long> learners = new TreeSet<>();
            for (int n = b.getInt(); n > 0; n--) {
                learners.add(b.getLong());
            }
            return new ConfState(voters, learners, b.hasRemaining() ? CodingParams.read(b) : null);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated membership entry", e);
        }
    }
}
