package io.leifdb.server.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RocksNativeTest {
    private static final Path MAPS = Path.of("/proc/self/maps");

    @Test
    void noExtractedCopyOfTheLibraryOutlivesItsLoading() throws Exception {
        assumeTrue(Files.isReadable(MAPS), "needs /proc/self/maps");
        RocksNative.load();
        List<String> maps = Files.readAllLines(MAPS);
        assertThat(maps).anyMatch(l -> l.contains("librocksdbjni")); // the library is loaded, from somewhere
        assertThat(RocksNative.extractedCopies(maps)).isEmpty();
    }

    @Test
    void findsOnlyTemporaryCopiesStillOnDisk() {
        List<String> maps = List.of(
                "7f00-7f01 r-xp 00000000 fd:00 12 /tmp/librocksdbjni123456789.so",
                "7f01-7f02 r--p 00000000 fd:00 12 /tmp/librocksdbjni123456789.so",
                "7f02-7f03 r-xp 00000000 fd:00 13 /tmp/librocksdbjni987.so (deleted)",
                "7f03-7f04 r-xp 00000000 fd:00 14 /usr/lib/librocksdbjni-linux64.so",
                "7f04-7f05 rw-p 00000000 00:00 0 [heap]");
        assertThat(RocksNative.extractedCopies(maps)).containsExactly(Path.of("/tmp/librocksdbjni123456789.so"));
    }
}
