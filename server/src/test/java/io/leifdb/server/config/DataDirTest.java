package io.leifdb.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {
    @TempDir
    Path tmp;

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void createsTheDirectoryAndEveryMissingParentOwnerOnly() throws IOException {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dir = tmp.resolve("home/.leifdb/abc");
        assertThat(DataDir.create(dir)).isEqualTo(dir);
        assertThat(mode(tmp.resolve("home"))).isEqualTo("rwx------");
        assertThat(mode(tmp.resolve("home/.leifdb"))).isEqualTo("rwx------");
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(tmp)).as("an existing parent is left alone").isEqualTo("rwxr-xr-x");
    }

    @Test
    void leavesADirectoryThatExistsAsItIs() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("mine"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        DataDir.create(dir);
        assertThat(mode(dir)).isEqualTo("rwxr-x---");
    }

    @Test
    void filesItCreatesAreOwnerOnly() throws IOException {
        Path opened = tmp.resolve("seg");
        try (FileChannel ch = DataDir.open(opened, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            assertThat(ch.isOpen()).isTrue();
        }
        assertThat(mode(opened)).isEqualTo("rw-------");
        Path written = tmp.resolve("meta");
        DataDir.write(written, new byte[] {1, 2, 3});
        assertThat(mode(written)).isEqualTo("rw-------");
        assertThat(Files.readAllBytes(written)).containsExactly(1, 2, 3);
        DataDir.write(written, new byte[] {9});
        assertThat(Files.readAllBytes(written)).as("replaces, not appends").containsExactly(9);
    }
}
