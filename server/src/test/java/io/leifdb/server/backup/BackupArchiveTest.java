package io.leifdb.server.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leifdb.raft.Entry;
import io.leifdb.server.kv.BackupImage;
import io.leifdb.server.kv.Command;
import io.leifdb.server.kv.KvStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive a backup is: what it records, and every way a damaged one is refused before use. */
class BackupArchiveTest {
    private static final long CLUSTER = 0x1234_5678_9abc_def0L;

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void backUpAStoreOfThreeKeys() throws IOException {
        List<Entry> puts = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            puts.add(Entry.normal(2, i, new Command.Put("k" + (i % 3), ("v" + i).getBytes(StandardCharsets.UTF_8)).encode()));
        }
        file = dir.resolve("b.zip");
        try (KvStore kv = KvStore.open(dir.resolve("kv"))) {
            kv.apply(puts);
            BackupImage image = BackupImage.take(kv, dir.resolve("scratch"),
                    (key, revision, coded) -> CompletableFuture.failedFuture(new AssertionError("no coded values here")));
            try (BackupArchive a = BackupArchive.of(image, CLUSTER, "test", () -> { })) {
                assertThat(a.fileName()).isEqualTo("leifdb-123456789abcdef0-4.zip");
                a.writeTo(file);
            }
        }
        assertThat(dir.resolve("scratch")).as("closing the archive deletes its image").doesNotExist();
    }

    @Test
    void recordsClusterIndexKeysAndEveryFileAndExtractsThem() throws IOException {
        BackupManifest m = BackupReader.verify(file);
        assertThat(m.clusterId()).isEqualTo(CLUSTER);
        assertThat(m.index()).isEqualTo(4);
        assertThat(m.term()).isEqualTo(2);
        assertThat(m.keys()).isEqualTo(3);
        assertThat(m.files()).isNotEmpty().allSatisfy(f -> assertThat(f.sha256()).hasSize(64));
        Path out = Files.createDirectory(dir.resolve("out"));
        BackupReader.extract(file, out);
        for (BackupManifest.FileSum f : m.files()) assertThat(Files.size(out.resolve(f.name()))).isEqualTo(f.size());
        assertThat(m.restoreSalt()).as("a restore of the same backup gets the same salt")
                .isEqualTo(BackupReader.verify(file).restoreSalt()).isNotZero();
    }

    /** Rewrites the archive entry by entry; {@code edit} may drop, change or add entries. */
    private Path rewrite(String name, EntryEdit edit) throws IOException {
        Path out = dir.resolve(name);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(file));
             ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) edit.apply(e.getName(), in.readAllBytes(), zip);
            edit.apply(null, null, zip);
        }
        return out;
    }

    @FunctionalInterface
    private interface EntryEdit {
        /** Called per entry, then once with null name at the end. */
        void apply(String name, byte[] data, ZipOutputStream zip) throws IOException;
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    @Test
    void refusesAnArchiveMissingAFile() throws IOException {
        boolean[] dropped = {false};
        Path bad = rewrite("missing.zip", (name, data, zip) -> {
            if (name == null) return;
            if (name.startsWith("db/") && !dropped[0]) {
                dropped[0] = true;
                return;
            }
            put(zip, name, data);
        });
        assertThatThrownBy(() -> BackupReader.verify(bad)).isInstanceOf(BackupException.class)
                .hasMessageContaining("is truncated: 1 of").hasMessageNotContaining("\n");
    }

    @Test
    void refusesAFileWhoseBytesChanged() throws IOException {
        Path bad = rewrite("changed.zip", (name, data, zip) -> {
            if (name == null) return;
            if (name.endsWith(".sst")) data[data.length / 2] ^= 1;
            put(zip, name, data);
        });
        assertThatThrownBy(() -> BackupReader.verify(bad)).isInstanceOf(BackupException.class)
                .hasMessageContaining("fails its SHA-256 check");
    }

    @Test
    void refusesAnEntryTheManifestDoesNotList() throws IOException {
        Path bad = rewrite("extra.zip", (name, data, zip) -> {
            if (name == null) put(zip, "db/000999.sst", new byte[] {1, 2, 3});
            else put(zip, name, data);
        });
        assertThatThrownBy(() -> BackupReader.verify(bad)).hasMessageContaining("db/000999.sst, which backup.json does not list");
    }

    @Test
    void refusesAnythingThatIsNotABackup() throws IOException {
        Path noManifest = rewrite("nomanifest.zip", (name, data, zip) -> {
            if (name != null && !name.equals("backup.json")) put(zip, name, data);
        });
        assertThatThrownBy(() -> BackupReader.verify(noManifest)).hasMessageContaining("is not a LeifDB backup");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> BackupReader.verify(text)).isInstanceOf(BackupException.class);
        assertThatThrownBy(() -> BackupReader.verify(dir.resolve("absent.zip"))).hasMessageEndingWith("does not exist");
    }

    @Test
    void refusesAManifestNamingAFileOutsideTheDirectory() throws IOException {
        Path bad = rewrite("escape.zip", (name, data, zip) -> {
            if (name == null) return;
            if (name.equals("backup.json")) {
                String json = new String(data, StandardCharsets.UTF_8);
                String first = json.substring(json.indexOf("\"name\" : \"") + 10);
                first = first.substring(0, first.indexOf('"'));
                data = json.replace("\"" + first + "\"", "\"../" + first + "\"").getBytes(StandardCharsets.UTF_8);
            }
            put(zip, name, data);
        });
        assertThatThrownBy(() -> BackupReader.verify(bad)).hasMessageContaining("bad file entry");
    }

    @Test
    void refusesATruncatedFileAtAnyLength() throws IOException {
        byte[] whole = Files.readAllBytes(file);
        int step = Math.max(1, whole.length / 60);
        // Every length within the last 200 bytes (ZIP's closing directory), a sample before them.
        for (int len = 0; len < whole.length; len += len >= whole.length - 200 ? 1 : step) {
            Path cut = dir.resolve("cut.zip");
            try (OutputStream out = Files.newOutputStream(cut)) {
                out.write(whole, 0, len);
            }
            assertThatThrownBy(() -> BackupReader.verify(cut)).as("cut at %d of %d", len, whole.length)
                    .isInstanceOf(BackupException.class).hasMessageNotContaining("\n");
        }
        try (InputStream in = Files.newInputStream(file)) {
            assertThat(in.readAllBytes()).isEqualTo(whole);
        }
    }
}
