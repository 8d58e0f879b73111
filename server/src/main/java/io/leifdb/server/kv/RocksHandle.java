package io.leifdb.server.kv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.MutableDBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One open RocksDB generation: user keys in the default column family, bookkeeping (applied
 * index, membership) in {@code meta}, so no user key can collide with a reserved one.
 * Owns every native object it creates and frees them in {@link #close()}.
 */
final class RocksHandle implements AutoCloseable {
    static final byte[] META_CF = "meta".getBytes(StandardCharsets.UTF_8);
    /** Changes by revision, for watchers that resume (see {@link History}). */
    static final byte[] HISTORY_CF = "history".getBytes(StandardCharsets.UTF_8);

    static {
        RocksNative.load();
    }

    final Path dir;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private final ColumnFamilyHandle data;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle history;

    private RocksHandle(Path dir, DBOptions dbOptions, ColumnFamilyOptions cfOptions, WriteOptions writeOptions,
            RocksDB db, List<ColumnFamilyHandle> handles) {
        this.dir = dir;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.writeOptions = writeOptions;
        this.db = db;
        this.data = handles.get(0);
        this.meta = handles.get(1);
        this.history = handles.get(2);
    }

    /** Opens {@code dir}; creates an empty store there only when {@code create}. */
    static RocksHandle open(Path dir, boolean create, KvOptions options) throws IOException {
        DBOptions dbOptions = new DBOptions()
                .setCreateIfMissing(create)
                // Stores written before the watch history gain its column family on their first open.
                .setCreateMissingColumnFamilies(true)
                // Data and applied index sit in different column families; flushing them together
                // keeps the on-disk state a consistent prefix even when RocksDB's WAL is off or lost.
                .setAtomicFlush(true)
                .setMaxTotalWalSize(4 * options.writeBufferSize())
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(2)
                .setMaxLogFileSize(1L << 20)
                .setMaxManifestFileSize(4L << 20);
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions()
                .setWriteBufferSize(options.writeBufferSize());
        // sync=false on purpose: the Raft WAL is the durability source and replays every entry
        // after the applied index a restart finds here. RocksDB's WAL (when on) then only saves
        // replay work after a process crash; losing its unsynced tail to power loss still leaves
        // a consistent prefix, because each batch carries its own applied index.
        WriteOptions writeOptions = new WriteOptions().setSync(false).setDisableWAL(options.disableWal());
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
                new ColumnFamilyDescriptor(META_CF, cfOptions),
                new ColumnFamilyDescriptor(HISTORY_CF, cfOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
            return new RocksHandle(dir, dbOptions, cfOptions, writeOptions, db, handles);
        } catch (RocksDBException e) {
            handles.forEach(ColumnFamilyHandle::close);
            writeOptions.close();
            cfOptions.close();
            dbOptions.close();
            throw new IOException("cannot open KV store at " + dir + ": " + e.getMessage(), e);
        }
    }

    byte[] get(byte[] key) throws IOException {
        try {
            return db.get(data, key);
        } catch (RocksDBException e) {
            throw io("read", e);
        }
    }

    byte[] getMeta(byte[] key) throws IOException {
        try {
            return db.get(meta, key);
        } catch (RocksDBException e) {
            throw io("read meta", e);
        }
    }

    /** An iterator over user keys; it sees one consistent point in time. Caller closes it. */
    RocksIterator iterator(ReadOptions readOptions) {
        return db.newIterator(data, readOptions);
    }

    ColumnFamilyHandle data() {
        return data;
    }

    ColumnFamilyHandle meta() {
        return meta;
    }

    ColumnFamilyHandle history() {
        return history;
    }

    /** An iterator over the bookkeeping column family (leases live there); caller closes it. */
    RocksIterator metaIterator(ReadOptions readOptions) {
        return db.newIterator(meta, readOptions);
    }

    /** An iterator over the watch history; it sees one consistent point in time. Caller closes it. */
    RocksIterator historyIterator(ReadOptions readOptions) {
        return db.newIterator(history, readOptions);
    }

    void write(WriteBatch batch) throws IOException {
        try {
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw io("write", e);
        }
    }

    /** Persists all memtables (every column family at once) to SST files. */
    void flush() throws IOException {
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            db.flush(fo, List.of(data, meta, history));
        } catch (RocksDBException e) {
            throw io("flush", e);
        }
    }

    /** Flushes and rewrites every level so overwritten and deleted versions stop taking space. */
    void compact() throws IOException {
        flush();
        try (CompactRangeOptions cro = new CompactRangeOptions()
                .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)) {
            db.compactRange(data, null, null, cro);
            db.compactRange(meta, null, null, cro);
            db.compactRange(history, null, null, cro);
        } catch (RocksDBException e) {
            throw io("compact", e);
        }
    }

    /** A numeric RocksDB property summed over the column families, e.g. {@code rocksdb.estimate-live-data-size}. */
    long property(String name) throws IOException {
        try {
            return db.getAggregatedLongProperty(name);
        } catch (RocksDBException e) {
            throw io("read property " + name, e);
        }
    }

    /** A RocksDB checkpoint (hard-linked SSTs plus copied metadata) in {@code target}, which must not exist. */
    void checkpoint(Path target) throws IOException {
        flush();
        try (Checkpoint cp = Checkpoint.create(db)) {
            cp.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw io("checkpoint", e);
        }
    }

    @Override
    public void close() {
        // Handles before the DB, options last: the order RocksJava requires.
        data.close();
        meta.close();
        history.close();
        db.close();
        writeOptions.close();
        cfOptions.close();
        dbOptions.close();
    }

    /**
     * Closes as a crash would leave things: no memtable flush, so only what reached RocksDB's
     * WAL (if on) or an SST survives. Tests use it to stand in for kill -9.
     */
    void closeWithoutFlush() {
        try {
            db.setDBOptions(MutableDBOptions.builder().setAvoidFlushDuringShutdown(true).build());
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot disable the shutdown flush", e);
        }
        close();
    }

    private IOException io(String what, RocksDBException e) {
        return new IOException("KV store " + what + " failed in " + dir + ": " + e.getMessage(), e);
    }
}
