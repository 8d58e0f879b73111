package io.leifdb.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable record of a lost data directory: written owner-only, kept while catching up, removed after. */
class CatchUpMarkerTest {
    @TempDir
    Path dir;

    @Test
    void writtenOwnerOnly_seenByTheNextStart_andRemovedOnceCaughtUp() throws Exception {
        CatchUpMarker m = new CatchUpMarker(dir);
        assertThat(m.present()).isFalse();
        m.write();
        Path file = dir.resolve(CatchUpMarker.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        CatchUpMarker afterRestart = new CatchUpMarker(dir);
        assertThat(afterRestart.present()).isTrue();

        assertThat(file).exists();
        afterRestart.caughtUp(7);
        assertThat(file).doesNotExist();
        assertThat(afterRestart.present()).isFalse();
        assertThat(new CatchUpMarker(dir).present()).isFalse();
        afterRestart.caughtUp(7); // nothing left to remove
    }
}
