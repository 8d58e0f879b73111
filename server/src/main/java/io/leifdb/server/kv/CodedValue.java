package io.leifdb.server.kv;

import io.leifdb.raft.craft.Fragment;

import java.util.Arrays;

/**
 * CRaft: a value a replica holds only as its fragment of the write at log position
 * ({@code index}, {@code term}). Every replica applied the same committed entry there, so the
 * fragments of one (index, term) are shards of one codeword and any k of them rebuild the value.
 *
 * @param fragment a {@link Fragment} in its byte layout (clear part: the command without its value)
 */
public record CodedValue(long index, long term, byte[] fragment) {
    public Fragment parse() {
        return Fragment.fromBytes(fragment);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodedValue c && c.index == index && c.term == term && Arrays.equals(c.fragment, fragment);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Arrays.hashCode(fragment);
    }

    @Override
    public String toString() {
        return "CodedValue{" + index + "/" + term + ", " + fragment.length + "B}";
    }
}
