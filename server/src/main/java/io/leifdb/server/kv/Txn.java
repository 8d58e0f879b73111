package io.leifdb.server.kv;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A multi-key transaction: if every {@link Compare} holds against the state it is applied to, the
 * {@code success} operations run, else the {@code failure} ones; all of it as one Raft entry, so every
 * replica takes the same branch at the same index. Operations run in order and each sees the ones before.
 */
public record Txn(List<Compare> compare, List<Op> success, List<Op> failure) {
    /** Whether a compare reads a value (which a member may hold only as a CRaft fragment). */
    public boolean comparesValues() {
        return compare.stream().anyMatch(c -> c.target() == Target.VALUE);
    }

    /** Compares plus operations of both branches; etcd's default, which keeps one entry's apply short. */
    public static final int MAX_OPS = 128;

    public Txn {
        compare = List.copyOf(compare);
        success = List.copyOf(success);
        failure = List.copyOf(failure);
    }

    /** The entry data that carries this transaction through the Raft log (see {@link TxnCodec}). */
    public byte[] encode() {
        return TxnCodec.encode(this);
    }

    /** Compares plus operations, the figure {@link #MAX_OPS} bounds. */
    public int size() {
        return compare.size() + success.size() + failure.size();
    }

    /** What a compare reads of the key; every numeric one is 0 for an absent key. */
    public enum Target { VALUE, REVISION, CREATE_REVISION, VERSION }

    public enum CompareOp { EQUAL, NOT_EQUAL, LESS, GREATER }

    /**
     * One condition. For {@link Target#VALUE} {@code value} is compared as unsigned bytes and an absent key
     * has no value, so only {@code !=} holds for it; for the others {@code number} is compared.
     */
    public record Compare(String key, Target target, CompareOp op, byte[] value, long number) {
        public Compare {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(value, "value");
        }

        public static Compare ofValue(String key, CompareOp op, byte[] value) {
            return new Compare(key, Target.VALUE, op, value, 0);
        }

        public static Compare ofNumber(String key, Target target, CompareOp op, long number) {
            if (target == Target.VALUE) throw new IllegalArgumentException("a value compare takes bytes");
            return new Compare(key, target, op, new byte[0], number);
        }

        /** Whether the condition holds for {@code current} (null when the key is absent). */
        boolean holds(KeyValue current) {
            if (target == Target.VALUE) {
                if (current == null) return op == CompareOp.NOT_EQUAL;
                return test(Arrays.compareUnsigned(current.value(), value));
            }
            long actual = current == null ? 0 : switch (target) {
                case REVISION -> current.modRevision();
                case CREATE_REVISION -> current.createRevision();
                case VERSION -> current.version();
                case VALUE -> throw new AssertionError("handled above");
            };
            return test(Long.compare(actual, number));
        }

        private boolean test(int cmp) {
            return switch (op) {
                case EQUAL -> cmp == 0;
                case NOT_EQUAL -> cmp != 0;
                case LESS -> cmp < 0;
                case GREATER -> cmp > 0;
            };
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Compare c && c.key.equals(key) && c.target == target && c.op == op
                    && Arrays.equals(c.value, value) && c.number == number;
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, target, op, Arrays.hashCode(value), number);
        }

        @Override
        public String toString() {
            return "Compare{" + key + " " + target + " " + op + " " + (target == Target.VALUE ? value.length + "B" : number) + "}";
        }
    }

    /** One operation of a branch. */
    public sealed interface Op permits Put, Delete, Get {
        String key();
    }

    public record Put(String key, byte[] value) implements Op {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Put p && p.key.equals(key) && Arrays.equals(p.value, value);
        }

        @Override
        public int hashCode() {
            return key.hashCode() * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Put{" + key + ", " + value.length + "B}";
        }
    }

    public record Delete(String key) implements Op {
        public Delete {
            Objects.requireNonNull(key, "key");
        }
    }

    public record Get(String key) implements Op {
        public Get {
            Objects.requireNonNull(key, "key");
        }
    }
}
