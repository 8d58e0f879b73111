package io.leifdb.server.storage;

import io.leifdb.server.config.DataDir;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/** Opens segment files. A seam so tests can inject I/O failures such as a full disk. */
@FunctionalInterface
interface ChannelFactory {
    ChannelFactory DEFAULT = DataDir::open;

    FileChannel open(Path file, OpenOption... options) throws IOException;
}
