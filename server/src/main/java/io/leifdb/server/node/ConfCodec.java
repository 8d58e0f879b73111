package io.leifdb.server.node;

import io.leifdb.raft.ConfState;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.TreeSet;

/** Membership as bytes, for snapshot metadata: counts, then voter ids, then learner ids. */
final class ConfCodec {
    private ConfCodec() {
    }

    static byte[] encode(ConfState cs) {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * (cs.voters().size() + cs.learners().size()));
        b.putInt(cs.voters().size()).putInt(cs.learners().size());
        cs.voters().forEach(b::putLong);
        cs.learners().forEach(b::putLong);
        return b.array();
    }

    static ConfState decode(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        int v = b.getInt();
        int l = b.getInt();
        Set<Long> voters = new TreeSet<>();
        Set<Long> learners = new TreeSet<>();
        for (int i = 0; i < v; i++) voters.add(b.getLong());
        for (int i = 0; i < l; i++) learners.add(b.getLong());
        return ConfState.of(voters, learners);
    }
}
