/**
 * Durable Raft log storage: {@link io.leifdb.server.storage.SegmentedWal}.
 *
 * <h2>On disk</h2>
 * A directory of segment files {@code <first index, 20 digits>.seg} plus a {@code LOCK} file.
 * Each segment is a stream of records {@code [length u32][crc32c u32][type u8][payload]}; the CRC
 * covers length, type and payload. No record has a payload under 8 bytes or a type of 0, so a
 * record never starts with zeros. Record types: ENTRY, HARD_STATE, CONF_STATE, COMPACT (the log
 * now starts after a snapshot), RESTORE (a snapshot was installed; every entry is gone), and
 * STAGED_ENTRY plus REPLACE_COMMIT (below). Hard state shares the stream with the entries, so one
 * fsync makes a whole Ready durable.
 *
 * <h2>Why rewrites are appended, not cut</h2>
 * A follower that must replace a conflicting suffix (§5.3) appends the new entries; on replay a
 * record for index i drops every entry at or after i. Physically truncating instead would also
 * cut hard-state records written after the old entries, and a crash between the truncate and the
 * next fsync could then bring back an older term or vote: the double vote of the original
 * LeifDB. Nothing synced is ever overwritten. A segment may therefore hold indexes below its name
 * after such a rewrite; names only order the files. A rewrite is written as STAGED_ENTRY records
 * closed by one REPLACE_COMMIT, and replay applies it only whole: under CRaft a follower upgrading
 * a fragment re-writes acknowledged entries behind it, and half a rewrite would lose them.
 *
 * <h2>Preallocation</h2>
 * A segment is born at its full configured size, all zeros, and fsynced; records then overwrite
 * those zeros from the front. Appending inside allocated blocks keeps the file size fixed, so the
 * per-batch fdatasync flushes data alone instead of also journaling a new size (an extra journal
 * commit on ext4). The zero-fill costs a full segment of writes, so the next
 * segment is made ahead of need as {@code next-segment.prealloc} on a thread of the WAL's own, and a
 * roll only renames it; recovery deletes that file unread, since a crash may have left it half
 * written. The last segment keeps its zeros on close. A record bigger than what is left extends the
 * file as before.
 *
 * <h2>Segments and compaction</h2>
 * A segment is sealed (fsynced) before the next one is created, and every segment starts with a
 * header of the current snapshot mark, membership and hard state. So any segment before the one
 * holding the first live entry can be deleted once the COMPACT or RESTORE record that retired it
 * is synced; deletion happens after {@code sync()}, and replay tolerates leftovers.
 *
 * <h2>Recovery</h2>
 * Segments are replayed in name order. A segment's records end where only zeros remain: the
 * unused, preallocated space, passed silently. In the last segment, a damaged record with no
 * intact record between it and those zeros (or the end of the file) is a torn write that was never
 * synced: its bytes are zeroed in place and a WARN logged. Any other damaged record, a missing
 * segment (a gap in the indexes) or damage in a sealed segment throws {@link io.leifdb.server.storage.WalCorruptionException} naming the
 * file and byte offset, and nothing is cut. Damage to the very last record of the log is
 * indistinguishable from a torn write and is cut like one. A sealed segment whose last records the
 * disk turned to zeros reads as a shorter one; lost entries then show as a gap at the next segment.
 */
package io.leifdb.server.storage;
