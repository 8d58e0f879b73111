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

    /**
     * How the value reads as text, as the entry that {@code f} (a value's parsed fragment) is a share of
     * recorded it; null when that entry recorded none (a put or recode from before kinds were recorded).
     */
    public static Utf8.Kind kind(Fragment f) {
        try {
            if (Recode.isRecode(f.clear())) return Recode.decodeClear(f.clear(), f.codedLength()).kind();
            return CommandCodec.decodeClear(f.clear(), f.codedLength()).kind();
        } catch (IllegalArgumentException malformed) {
            return null; // the read gathers the value whole, and reports the fragment there
        }
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
