package io.leifdb.raft;

import java.nio.ByteBuffer;
import java.util.TreeSet;

/** A membership as bytes, the one encoding: {@link EntryType#CONFIG} entries and the server's snapshot metadata. */
public final class ConfStateCodec {
    private static final byte VERSION = 1;

    private ConfStateCodec() {
    }

    public static byte[] encode(ConfState conf) {
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 * (conf.voters().size() + conf.learners().size()));
        b.put(VERSION);
        b.putInt(conf.voters().size());
        conf.voters().forEach(b::putLong);
        b.putInt(conf.learners().size());
        conf.learners().forEach(b::putLong);
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
            return new ConfState(voters, learners);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated membership entry", e);
        }
    }
}
