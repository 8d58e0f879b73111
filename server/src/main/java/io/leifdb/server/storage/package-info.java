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
 * <h2>Sync marks</h2>
 * The first record written after each fsync is a SYNC_MARK {@code [at u32][synced u32]}: bytes of
 * this segment before {@code synced} were durable when the mark, at offset {@code at}, was written.
 * It goes out in the buffer of the next write, so it costs 17 bytes per synced batch and no system
 * call; {@code close()} writes one more and fsyncs it, so a clean stop leaves the whole log marked.
 *
 * <h2>Recovery</h2>
 * Segments are replayed in name order. A segment's records end where only zeros remain: the
 * unused, preallocated space, passed silently. Sealed segments were fsynced whole, so any damage
 * there, or a missing segment (a gap in the indexes), throws {@link io.leifdb.server.storage.WalCorruptionException}
 * naming the file and byte offset, and nothing is cut. In the last segment a power loss may keep
 * any subset of the pages written since the last fsync, so the first damaged record may be followed
 * by intact ones. It is cut as a torn tail (zeroed in place, with a WARN) unless an intact sync mark
 * after it, found by trying every offset and checked against its own, claims bytes past it were
 * synced: then it is corruption. A mark exists only once its fsync returned, so no power loss can
 * damage what a genuine mark claims; damage that no surviving mark covers (the last synced batch,
 * when a crash came before the next write reached the disk) cannot be told from a power loss.
 * A sealed segment whose last records the disk turned to zeros reads as a shorter one; lost
 * entries then show as a gap at the next segment.
 */
package io.leifdb.server.storage;
