package io.leifdb.server.kv;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A lease change as it travels through the Raft log, in a NORMAL entry led by {@link #FORMAT}:
 * <pre>
 *   5 | op:u8 (1 grant, 2 put, 3 revoke, 4 expire)
 *   grant:  ttlMillis:varint
 *   put:    leaseId:varint | grantTtlMillis:varint | pre:u8 (0 none, 1 if-revision, 2 if-absent) [rev:varint]
 *           | keyLen:varint | key | valueLen:varint | value
 *   revoke, expire: leaseId:varint
 * </pre>
 * A lease's id is the index of the entry that grants it, so every replica names it alike without a counter.
 * A put with {@code grantTtlMillis > 0} grants a fresh lease of that TTL and attaches the key in one entry
 * ({@code PUT /db/k?ttl=}); its {@code leaseId} is then 0. Lease puts are never erasure-coded: the
 * value travels whole, like a transaction's.
 */
public sealed interface LeaseCommand permits LeaseCommand.Grant, LeaseCommand.Put, LeaseCommand.Revoke,
        LeaseCommand.Expire {
    byte FORMAT = 5;

    /** A new lease of {@code ttlMillis}; its id is the entry's index. */
    record Grant(long ttlMillis) implements LeaseCommand {
    }

    /** Sets {@code key} and attaches it to lease {@code leaseId}, or to a lease granted here when {@code grantTtlMillis > 0}. */
    record Put(String key, byte[] value, Precondition pre, long leaseId, long grantTtlMillis) implements LeaseCommand {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(pre, "pre");
            if (key.isEmpty()) throw new IllegalArgumentException("key must not be empty");
            if ((leaseId > 0) == (grantTtlMillis > 0)) {
                throw new IllegalArgumentException("a lease put names a lease or grants one, not both or neither");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Put p && p.key.equals(key) && Arrays.equals(p.value, value) && p.pre.equals(pre)
                    && p.leaseId == leaseId && p.grantTtlMillis == grantTtlMillis;
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, Arrays.hashCode(value), pre, leaseId, grantTtlMillis);
        }

        @Override
        public String toString() {
            return "LeasePut{" + key + ", " + value.length + "B, lease " + leaseId + ", grant " + grantTtlMillis + "}";
        }
    }

    /** The client ends lease {@code leaseId}: its keys are deleted. */
    record Revoke(long leaseId) implements LeaseCommand {
    }

    /** The leader found lease {@code leaseId} past its deadline: its keys are deleted, and watchers see expiries. */
    record Expire(long leaseId) implements LeaseCommand {
    }

    static boolean isLease(byte[] data) {
        return data != null && data.length > 1 && data[0] == FORMAT;
    }

    default byte[] encode() {
        var out = new ByteArrayOutputStream(16);
        out.write(FORMAT);
        switch (this) {
            case Grant g -> {
                out.write(1);
                CommandCodec.writeVarint(out, g.ttlMillis());
            }
            case Put p -> {
                out.write(2);
                CommandCodec.writeVarint(out, p.leaseId());
                CommandCodec.writeVarint(out, p.grantTtlMillis());
                switch (p.pre()) {
                    case Precondition.None n -> out.write(0);
                    case Precondition.IfRevision r -> {
                        out.write(1);
                        CommandCodec.writeVarint(out, r.rev());
                    }
                    case Precondition.IfAbsent a -> out.write(2);
                }
                byte[] key = p.key().getBytes(StandardCharsets.UTF_8);
                CommandCodec.writeVarint(out, key.length);
                out.writeBytes(key);
                CommandCodec.writeVarint(out, p.value().length);
                out.writeBytes(p.value());
            }
            case Revoke r -> {
                out.write(3);
                CommandCodec.writeVarint(out, r.leaseId());
            }
            case Expire x -> {
                out.write(4);
                CommandCodec.writeVarint(out, x.leaseId());
            }
        }
        return out.toByteArray();
    }

    /**
     * Reads what {@link #encode()} wrote.
     *
     * @throws IllegalArgumentException if the bytes are not a lease command
     */
    static LeaseCommand decode(byte[] data) {
        if (!isLease(data)) throw new IllegalArgumentException("not a lease command");
        ByteBuffer in = ByteBuffer.wrap(data, 2, data.length - 2);
        LeaseCommand c = switch (data[1]) {
            case 1 -> new Grant(positive(CommandCodec.readVarint(in), "TTL"));
            case 2 -> {
                long lease = CommandCodec.readVarint(in);
                long grant = CommandCodec.readVarint(in);
                Precondition pre = switch (in.hasRemaining() ? in.get() : -1) {
                    case 0 -> Precondition.NONE;
                    case 1 -> Precondition.ifRevision(CommandCodec.readVarint(in));
                    case 2 -> Precondition.IF_ABSENT;
                    default -> throw new IllegalArgumentException("unknown precondition in lease put");
                };
                String key = CommandCodec.readUtf8(CommandCodec.readBytes(in));
                yield new Put(key, CommandCodec.readBytes(in), pre, lease, grant);
            }
            case 3 -> new Revoke(positive(CommandCodec.readVarint(in), "lease id"));
            case 4 -> new Expire(positive(CommandCodec.readVarint(in), "lease id"));
            default -> throw new IllegalArgumentException("unknown lease op " + data[1]);
        };
        if (in.hasRemaining()) throw new IllegalArgumentException("trailing bytes after lease command");
        return c;
    }

    private static long positive(long v, String what) {
        if (v < 1) throw new IllegalArgumentException(what + " must be positive");
        return v;
    }
}
