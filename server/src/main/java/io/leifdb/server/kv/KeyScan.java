package io.leifdb.server.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rocksdb.RocksIterator;

/**
 * A keys-only walk of the user keys under a prefix, directory-style when a delimiter is given: a key whose
 * rest (after the prefix) holds the delimiter is folded into its common prefix (the prefix plus that rest
 * up to and including the first delimiter), which is returned once, and the iterator then seeks past every
 * key under it, so a directory of a million keys costs one seek, not a million steps.
 */
final class KeyScan {
    private final byte[] prefix;
    private final byte[] delimiter;

    /** {@code delimiter} empty: no folding. */
    KeyScan(String prefix, String delimiter) {
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.delimiter = delimiter.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Up to {@code limit} entries (keys and common prefixes) sorting after {@code after}, in byte order, and
     * no more keys once their stored values pass {@code maxValueBytes} (the first entry always comes).
     */
    KeyPage page(RocksIterator it, String after, int limit, long maxValueBytes) {
        seekAfter(it, after);
        // Reads only a value's size: RocksDB copies at most this buffer's capacity into it.
        ByteBuffer probe = ByteBuffer.allocateDirect(1);
        List<String> keys = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String last = null;
        long bytes = 0;
        int entries = 0;
        while (it.isValid()) {
            byte[] k = it.key();
            if (!startsWith(k, prefix)) break;
            byte[] common = commonPrefix(k);
            long size = 0;
            if (common == null) {
                probe.clear();
                size = it.value(probe);
            }
            if (entries == limit || (entries > 0 && bytes + size > maxValueBytes)) {
                return new KeyPage(keys, prefixes, Optional.of(last));
            }
            entries++;
            bytes += size;
            if (common == null) {
                last = utf8(k);
                keys.add(last);
                it.next();
            } else {
                last = utf8(common);
                prefixes.add(last);
                if (!seekPast(it, common)) break;
            }
        }
        return new KeyPage(keys, prefixes, Optional.empty());
    }

    /** How many entries (keys and common prefixes) the whole walk yields. */
    long count(RocksIterator it) {
        it.seek(prefix);
        long n = 0;
        while (it.isValid()) {
            byte[] k = it.key();
            if (!startsWith(k, prefix)) break;
            n++;
            byte[] common = commonPrefix(k);
            if (common == null) it.next();
            else if (!seekPast(it, common)) break;
        }
        return n;
    }

    /** Positions {@code it} at the first entry after the cursor (a key, or a common prefix and all under it). */
    private void seekAfter(RocksIterator it, String after) {
        if (after == null || after.isEmpty()) {
            it.seek(prefix);
            return;
        }
        byte[] a = after.getBytes(StandardCharsets.UTF_8);
        if (Arrays.compareUnsigned(a, prefix) < 0) {
            it.seek(prefix);
            return;
        }
        byte[] common = startsWith(a, prefix) ? commonPrefix(a) : null;
        if (common != null) {
            if (!seekPast(it, common)) {
                it.seekToLast(); // nothing sorts after the folded prefix: end the walk
                it.next();
            }
            return;
        }
        it.seek(a);
        if (it.isValid() && Arrays.equals(it.key(), a)) it.next();
    }

    /** The common prefix {@code key} folds into, or null when it is listed as itself. */
    private byte[] commonPrefix(byte[] key) {
        if (delimiter.length == 0) return null;
        int at = indexOf(key, delimiter, prefix.length);
        return at < 0 ? null : Arrays.copyOf(key, at + delimiter.length);
    }

    /** Seeks to the first key not starting with {@code p}; false when no such key can exist. */
    private static boolean seekPast(RocksIterator it, byte[] p) {
        byte[] next = p.clone();
        for (int i = next.length - 1; i >= 0; i--) {
            if (next[i] != (byte) 0xFF) {
                next[i]++;
                it.seek(Arrays.copyOf(next, i + 1));
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] key, byte[] d, int from) {
        for (int i = from; i + d.length <= key.length; i++) {
            if (Arrays.equals(key, i, i + d.length, d, 0, d.length)) return i;
        }
        return -1;
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
