package io.leifdb.server.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * A client write as it travels through the Raft log. {@link #encode()} gives the bytes of a
 * NORMAL entry; {@link #decode(byte[])} reads them back on every replica.
 */
public sealed interface Command permits Command.Put, Command.Delete {

    String key();

    Precondition pre();

    /** The compact binary form, led by a format version byte (see {@link CommandCodec}). */
    default byte[] encode() {
        return CommandCodec.encode(this);
    }

    /**
     * Reads a command written by {@link #encode()}.
     *
     * @throws IllegalArgumentException if the bytes are not a command of a known version
     */
    static Command decode(byte[] data) {
        return CommandCodec.decode(data);
    }

    /**
     * CRaft's clear prefix: how many leading bytes of an entry's data every fragment keeps in
     * full (the key and precondition); the rest, a put's value, may be erasure-coded.
     */
    static int clearLength(byte[] data) {
        return CommandCodec.clearLength(data);
    }

    /**
     * CRaft: the put a fragment stands for, read from its clear part (see {@link #clearLength});
     * its value is empty, since only {@code valueLength} is known.
     *
     * @throws IllegalArgumentException if {@code clear} is not the clear part of a put
     */
    static Put decodeClear(byte[] clear, int valueLength) {
        return CommandCodec.decodeClear(clear, valueLength);
    }

    /**
     * Set {@code key} to {@code value}.
     *
     * @param kind how the value reads as text, recorded in the entry so that a replica holding a fragment knows
     *             the value's JSON form before gathering it; null in an entry written before kinds were recorded
     *             (such a put is re-encoded without one, byte for byte as it was written)
     */
    record Put(String key, byte[] value, Precondition pre, Utf8.Kind kind) implements Command {
        public Put {
            requireKey(key);
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(pre, "pre");
        }

        /** A new write: its value's kind is found here, where the value is whole. */
        public Put(String key, byte[] value, Precondition pre) {
            this(key, value, pre, Utf8.scan(value));
        }

        public Put(String key, byte[] value) {
            this(key, value, Precondition.NONE);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Put p && p.key.equals(key) && Arrays.equals(p.value, value) && p.pre.equals(pre)
                    && p.kind == kind;
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, Arrays.hashCode(value), pre, kind);
        }

        @Override
        public String toString() {
            return "Put{" + key + ", " + value.length + "B, " + pre + ", " + kind + "}";
        }
    }

    /** Remove {@code key}; removing a missing key succeeds (REFERENCE: DELETE of a missing key is 200). */
    record Delete(String key, Precondition pre) implements Command {
        public Delete {
            requireKey(key);
            Objects.requireNonNull(pre, "pre");
        }

        public Delete(String key) {
            this(key, Precondition.NONE);
        }
    }

    private static void requireKey(String key) {
        Objects.requireNonNull(key, "key");
        // An empty key cannot be addressed as /db/{key}, so it never reaches the log.
        if (key.isEmpty()) throw new IllegalArgumentException("key must not be empty");
    }
}
