package io.leifdb.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.server.storage.PowerLossDisk.Page;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to synced bytes is corruption even beside a power loss: at every crash point of the
 * workload, a bit flipped in any record that a durable sync mark covers (or in a sealed segment)
 * stops recovery with one line naming the file and the record's offset, whatever subset of the
 * unsynced pages survived.
 */
class SyncedCorruptionTest {
    private static final int DATA = 100;
    private static final long SEGMENT = 8192;

    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("try") // the silenced log is a scope guard: holding it is its use
    void bitFlipInAnyRecordCoveredByADurableSyncMarkIsRefusedNamingFileAndOffset() throws IOException {
        PowerLossWorkload w = new PowerLossWorkload(tmp.resolve("live"), SEGMENT, DATA);
        w.run();
        Path image = tmp.resolve("image");
        int refused = 0;
        try (LogCapture.Silenced quiet = LogCapture.silence(WalRecovery.class)) {
            for (int c = 0; c < w.crashes.size(); c++) {
                PowerLossWorkload.CrashPoint point = w.crashes.get(c);
                List<Page> pending = point.disk().pending();
                boolean lastPoint = c == w.crashes.size() - 1;
                WalFixtures.deleteTree(image);
                point.disk().writeCrashImage(image, Set.of(), null); // only what is durable
                List<Path> segments = WalFixtures.segmentFiles(image);
                for (int s = 0; s < segments.size(); s++) {
                    boolean sealed = s < segments.size() - 1;
                    if (sealed && !lastPoint) continue; // sealed segments are checked once, at the end
                    Path name = image.relativize(segments.get(s));
                    byte[] durable = Files.readAllBytes(segments.get(s));
                    long covered = sealed ? Long.MAX_VALUE : coveredByMarks(durable);
                    List<Integer> records = recordStarts(durable);
                    for (int r = 0; r < records.size(); r++) {
                        int at = records.get(r);
                        if (at >= covered) break;
                        Set<Page> surviving = PowerLossRecoveryTest.subset(pending, r % (1 << pending.size()));
                        WalFixtures.deleteTree(image);
                        point.disk().writeCrashImage(image, surviving, null);
                        Path file = image.resolve(name);
                        WalFixtures.flipBit(file, at + RecordCodec.HEADER_BYTES);
                        assertThatThrownBy(() -> SegmentedWal.open(image, SEGMENT, 0, new PowerLossDisk(image).factory(), t -> { }))
                                .as("%s, record at %d of %s", point.step(), at, name)
                                .isInstanceOf(WalCorruptionException.class)
                                .hasMessageContaining(file.toString())
                                .hasMessageContaining("at byte offset " + at + ":")
                                .hasMessageNotContaining("\n");
                        refused++;
                    }
                }
            }
        }
        System.out.printf("synced corruption: %d bit flips refused%n", refused);
        assertThat(refused).isGreaterThan(500);
    }

    /** How far the intact sync marks of a segment say it was synced. */
    private static long coveredByMarks(byte[] segment) {
        ByteBuffer buf = ByteBuffer.wrap(segment);
        long covered = 0;
        for (int at : recordStarts(segment)) {
            if (buf.get(at + 8) == RecordType.SYNC_MARK.code) covered = Math.max(covered, buf.getInt(at + 13));
        }
        return covered;
    }

    /** Offsets of the intact records a segment starts with, up to the first that is not. */
    private static List<Integer> recordStarts(byte[] segment) {
        ByteBuffer buf = ByteBuffer.wrap(segment);
        List<Integer> out = new ArrayList<>();
        int at = 0;
        while (at + RecordCodec.HEADER_BYTES <= segment.length) {
            int payload = buf.getInt(at);
            if (payload < RecordCodec.MIN_PAYLOAD_BYTES || at + RecordCodec.HEADER_BYTES + payload > segment.length
                    || RecordCodec.crc(buf, at, payload) != buf.getInt(at + 4)) {
                break;
            }
            out.add(at);
            at += RecordCodec.HEADER_BYTES + payload;
        }
        return out;
    }
}
