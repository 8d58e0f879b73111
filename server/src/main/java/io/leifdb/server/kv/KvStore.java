package io.leifdb.server.kv;

import io.leifdb.raft.ConfState;
import io.leifdb.raft.ConfStateCodec;
import io.leifdb.raft.Entry;
import io.leifdb.raft.EntryType;
import io.leifdb.server.auth.AuthCommand;
import io.leifdb.server.auth.AuthState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.ToIntFunction;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated state machine: committed Raft entries applied to RocksDB.
 *
 * <p>Durability: each {@link #apply} call is one RocksDB write batch that carries the data and
 * the new applied index together, written without fsync. The Raft WAL is the source of truth;
 * whatever a crash takes from here is a suffix of batches, so the applied index a reopen
 * reports never runs ahead of the data, and the driver replays the log after it.
 *
 * <p>Threads: {@link #apply}, {@link #installSnapshot} and snapshot taking are called by the
 * single driver thread (they are serialised anyway); {@link #get}, {@link #list} and the
 * accessors may be called from any number of threads at once.
 *
 * <p>On disk: {@code <dir>/CURRENT} names the live generation {@code <dir>/gen-<n>}, a RocksDB
 * directory (see {@link Generations}); installing a snapshot switches generations atomically.
 */
public final class KvStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KvStore.class);
    private static final byte[] APPLIED_KEY = "applied".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CONF_KEY = "conf".getBytes(StandardCharsets.UTF_8);
    /** Users and roles live in the meta column family, which no key of the client API can address. */
    private static final byte[] AUTH_KEY = "auth".getBytes(StandardCharsets.UTF_8);
    /** The members' addresses (issue 13), beside auth for the same reason. */
    private static final byte[] ADDRESSES_KEY = "addresses".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HISTORY_FLOOR_KEY = History.FLOOR_KEY;
    /** Watch buffer per watcher, in revisions: about a second of writes at full speed. */
    public static final int WATCH_BUFFER = 1024;

    private final Generations generations;
    private final KvOptions options;
    /** Serialises writers: apply, checkpoint, install. */
    private final ReentrantLock writer = new ReentrantLock();
    /** Readers share it; swapping or closing the database takes it exclusively. */
    private final ReentrantReadWriteLock handleLock = new ReentrantReadWriteLock();
    private volatile InstallStep.Hook installHook = InstallStep.Hook.NONE;

    private RocksHandle handle; // guarded by handleLock
    private volatile long appliedIndex;
    private volatile long appliedTerm;
    private volatile byte[] confData;
    private volatile AuthState auth = AuthState.EMPTY;
    private volatile AddressBook addresses = AddressBook.EMPTY;
    private volatile LeaseTable leases = LeaseTable.EMPTY;
    /** Leases this store has applied an expiry of since it opened (for /metrics); written by the applying thread. */
    private volatile long leaseExpiries;
    private final WatchHub watchers = new WatchHub();
    /** See {@link #HISTORY_FLOOR_KEY}; written by the applying thread only. */
    private volatile long historyFloor;
    /** Whether the floor is on disk yet (a store older than the history has none until its first apply). */
    private boolean floorStored;
    private boolean closed; // guarded by handleLock

    private KvStore(Generations generations, KvOptions options, RocksHandle handle) throws IOException {
        this.generations = generations;
        this.options = options;
        this.handle = handle;
        loadMeta();
    }

    /** Opens (creating if needed) the store rooted at {@code dir}, e.g. {@code <dataDir>/kv}. */
    public static KvStore open(Path dir) throws IOException {
        return open(dir, KvOptions.DEFAULT);
    }

    static KvStore open(Path dir, KvOptions options) throws IOException {
        Generations gens = new Generations(dir);
        Path live = gens.recover();
        boolean fresh = live == null;
        if (fresh) live = gens.next();
        RocksHandle h = RocksHandle.open(live, fresh, options);
        try {
            if (fresh) {
                // CURRENT comes last: until it exists, the new directory counts as debris.
                DurableFiles.fsyncDir(live);
                gens.point(live);
            }
            return new KvStore(gens, options, h);
        } catch (IOException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    private void loadMeta() throws IOException {
        setMeta(StoredMeta.read(handle));
        auth = readAuth(handle);
        addresses = readAddresses(handle);
        leases = LeaseTable.read(handle);
        loadHistoryFloor(handle);
    }

    private static AddressBook readAddresses(RocksHandle h) throws IOException {
        byte[] raw = h.getMeta(ADDRESSES_KEY);
        return raw == null ? AddressBook.EMPTY : AddressBook.decode(raw);
    }

    /** Where each member listens, as of the last completed apply. */
    public AddressBook addresses() {
        return addresses;
    }

    /** A store without a floor (older than the history, or fresh) has every change after its applied index. */
    private void loadHistoryFloor(RocksHandle h) throws IOException {
        byte[] raw = h.getMeta(HISTORY_FLOOR_KEY);
        floorStored = raw != null;
        historyFloor = raw == null ? appliedIndex + 1 : ByteBuffer.wrap(raw).getLong();
    }

    private static AuthState readAuth(RocksHandle h) throws IOException {
        byte[] raw = h.getMeta(AUTH_KEY);
        return raw == null ? AuthState.EMPTY : AuthState.decode(raw);
    }

    /** Users, roles and the auth switch as of the last completed apply. */
    public AuthState auth() {
        return auth;
    }

    /** Every live lease and its keys, as of the last completed apply. */
    public LeaseTable leases() {
        return leases;
    }

    /** How many lease expiries this store has applied since it opened. */
    public long leaseExpiries() {
        return leaseExpiries;
    }

    private void setMeta(StoredMeta meta) {
        confData = meta.conf();
        appliedTerm = meta.term();
        appliedIndex = meta.index();
    }

    /** What the meta column family records: applied position and membership. */
    record StoredMeta(long index, long term, byte[] conf) {
        static StoredMeta read(RocksHandle h) throws IOException {
            byte[] applied = h.getMeta(APPLIED_KEY);
            byte[] conf = h.getMeta(CONF_KEY);
            if (applied == null) return new StoredMeta(0, 0, conf);
            ByteBuffer b = ByteBuffer.wrap(applied);
            return new StoredMeta(b.getLong(), b.getLong(), conf);
        }
    }

    /** The index of the last entry applied (0 before any). */
    public long appliedIndex() {
        return appliedIndex;
    }

    /** The term of the last entry applied (0 before any). */
    public long appliedTerm() {
        return appliedTerm;
    }

    /** The data of the last CONFIG entry applied (or of the installed snapshot), if any. */
    public Optional<byte[]> confData() {
        byte[] c = confData;
        return c == null ? Optional.empty() : Optional.of(c.clone());
    }

    /**
     * Applies committed entries in log order as one atomic batch. Entries at or below the
     * applied index are skipped (a replay after restart); the rest must follow it without a gap.
     * NORMAL entries hold {@link Command}s; NOOP and CONFIG entries only advance the applied
     * index (CONFIG also records its data as the membership). A FRAGMENT entry (CRaft) is a put
     * whose key and precondition are in clear and whose value this replica keeps as its fragment.
     *
     * @throws IllegalStateException if the entries leave a gap after the applied index
     * @throws IOException if RocksDB fails; nothing of this call is applied then
     */
    public ApplyResult apply(List<Entry> committed) throws IOException {
        writer.lock();
        handleLock.readLock().lock();
        try {
            ensureOpen();
            long index = appliedIndex;
            long term = appliedTerm;
            byte[] conf = null;
            AuthState authAfter = auth;
            AddressBook addressesAfter = addresses;
            LeaseTable.Edit leaseEdit = leases.edit();
            List<ApplyResult.Outcome> outcomes = new ArrayList<>();
            // Later entries of the batch must see earlier ones, which RocksDB cannot show before the write.
            Map<String, Optional<StoredValue>> pending = new HashMap<>();
            List<Change> changes = new ArrayList<>();
            long floor = historyFloor;
            try (WriteBatch batch = new WriteBatch()) {
                for (Entry e : committed) {
                    if (e.index() <= index) continue;
                    if (e.index() != index + 1) {
                        throw new IllegalStateException("entry " + e.index() + " does not follow applied index " + index);
                    }
                    switch (e.type()) {
                        case NORMAL, FRAGMENT -> {
                            if (e.type() == EntryType.NORMAL && AuthCommand.isAuth(e.data())) {
                                AuthApply.Result r = AuthApply.apply(authAfter, e);
                                authAfter = r.state();
                                outcomes.add(r.outcome());
                            } else if (e.type() == EntryType.NORMAL && AddressBook.isAddress(e.data())) {
                                addressesAfter = applyAddress(addressesAfter, e, outcomes);
                            } else if (RecodeApply.isRecode(e)) {
                                outcomes.add(RecodeApply.apply(e, handle, batch, pending, changes));
                            } else {
                                outcomes.add(KeyApply.apply(e, new BatchView(handle, batch, pending, changes, e.index()),
                                        leaseEdit, KeyApply.valuesMayBeCoded(conf != null ? conf : confData)));
                            }
                        }
                        case CONFIG -> {
                            batch.put(handle.meta(), CONF_KEY, e.data());
                            conf = e.data();
                        }
                        case NOOP -> {
                        }
                    }
                    index = e.index();
                    term = e.term();
                }
                if (index == appliedIndex) return new ApplyResult(appliedIndex, appliedTerm, outcomes);
                if (authAfter != auth) batch.put(handle.meta(), AUTH_KEY, authAfter.encode());
                if (addressesAfter != addresses) batch.put(handle.meta(), ADDRESSES_KEY, addressesAfter.encode());
                leaseEdit.write(batch, handle);
                floor = recordHistory(batch, changes, index);
                batch.put(handle.meta(), APPLIED_KEY, ByteBuffer.allocate(16).putLong(index).putLong(term).array());
                handle.write(batch);
            } catch (RocksDBException e) {
                throw new IOException("KV batch build failed: " + e.getMessage(), e);
            }
            if (conf != null) confData = conf.clone();
            auth = authAfter;
            addresses = addressesAfter;
            leases = leaseEdit.result();
            leaseExpiries += leaseEdit.expired();
            historyFloor = floor;
            appliedTerm = term;
            appliedIndex = index;
            watchers.publish(changes);
            return new ApplyResult(index, term, outcomes);
        } finally {
            handleLock.readLock().unlock();
            writer.unlock();
        }
    }

    /**
     * Adds this batch's changes to the watch history and compacts it to the last
     * {@link KvOptions#historyRevisions} revisions, in steps of an eighth so range deletions stay few.
     * Returns the floor after this batch.
     */
    private long recordHistory(WriteBatch batch, List<Change> changes, long index) throws RocksDBException {
        long seqRevision = -1;
        int seq = 0;
        for (Change c : changes) {
            if (c.revision() != seqRevision) {
                seqRevision = c.revision();
                seq = 0;
            }
            batch.put(handle.history(), History.key(c.revision(), seq++), History.encode(c));
        }
        long floor = historyFloor;
        long keep = options.historyRevisions();
        if (index - floor + 1 > keep + keep / 8) {
            floor = index - keep + 1;
            batch.deleteRange(handle.history(), History.key(0, 0), History.key(floor, 0));
        }
        if (floor != historyFloor || !floorStored) {
            batch.put(handle.meta(), HISTORY_FLOOR_KEY, ByteBuffer.allocate(Long.BYTES).putLong(floor).array());
            floorStored = true;
        }
        return floor;
    }

    /**
     * The key's current value and revisions, as of the last completed apply.
     *
     * @throws UncheckedIOException if RocksDB fails to read
     */
    public Optional<KeyValue> get(String key) {
        handleLock.readLock().lock();
        try {
            ensureOpen();
            byte[] raw = handle.get(key.getBytes(StandardCharsets.UTF_8));
            return raw == null ? Optional.empty() : Optional.of(StoredValue.decode(raw).toKeyValue(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            handleLock.readLock().unlock();
        }
    }

    /** The key's stored form, with what a {@link KeyValue} leaves out (the write's term and precondition). */
    Optional<StoredValue> stored(String key) {
        handleLock.readLock().lock();
        try {
            ensureOpen();
            byte[] raw = handle.get(key.getBytes(StandardCharsets.UTF_8));
            return raw == null ? Optional.empty() : Optional.of(StoredValue.decode(raw));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            handleLock.readLock().unlock();
        }
    }

    /**
     * Up to {@code limit} keys starting with {@code prefix} and sorting after {@code afterKey}
     * (null or empty: from the start), in UTF-8 byte order, all read at one point in time.
     *
     * @throws IllegalArgumentException if {@code limit < 1}
     * @throws UncheckedIOException if RocksDB fails to read
     */
    public Page list(String prefix, String afterKey, int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        byte[] p = (prefix == null ? "" : prefix).getBytes(StandardCharsets.UTF_8);
        byte[] start = seekStart(p, afterKey);
        boolean skipStart = start != p;
        handleLock.readLock().lock();
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = openIterator(ro)) {
            it.seek(start);
            if (skipStart && it.isValid() && Arrays.equals(it.key(), start)) it.next();
            List<KeyValue> items = new ArrayList<>();
            String next = null;
            for (; it.isValid(); it.next()) {
                byte[] k = it.key();
                if (!startsWith(k, p)) break;
                if (items.size() == limit) {
                    next = items.get(limit - 1).key();
                    break;
                }
                items.add(StoredValue.decode(it.value()).toKeyValue(new String(k, StandardCharsets.UTF_8)));
            }
            it.status();
            return new Page(items, Optional.ofNullable(next));
        } catch (RocksDBException e) {
            throw new UncheckedIOException(new IOException("KV list failed: " + e.getMessage(), e));
        } finally {
            handleLock.readLock().unlock();
        }
    }

    /**
     * Like {@link #list} but keys only, so a page costs no value copies: up to {@code limit} entries, and
     * no more once their stored values pass {@code maxValueBytes} (the first always comes, so a page moves
     * on). With a non-empty {@code delimiter}, keys are folded into common prefixes (see {@link KeyScan}).
     * {@code next} is set whenever an entry remains after the page.
     */
    public KeyPage listKeys(String prefix, String delimiter, String afterKey, int limit, long maxValueBytes) {
        if (limit < 1 || maxValueBytes < 1) throw new IllegalArgumentException("limit and bytes must be >= 1");
        KeyScan scan = new KeyScan(prefix == null ? "" : prefix, delimiter);
        handleLock.readLock().lock();
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = openIterator(ro)) {
            KeyPage page = scan.page(it, afterKey, limit, maxValueBytes);
            it.status();
            return page;
        } catch (RocksDBException e) {
            throw new UncheckedIOException(new IOException("KV list failed: " + e.getMessage(), e));
        } finally {
            handleLock.readLock().unlock();
        }
    }

    /** How many entries (keys, or with a delimiter keys and common prefixes) a full listing would return. */
    public long countKeys(String prefix, String delimiter) {
        KeyScan scan = new KeyScan(prefix, delimiter);
        handleLock.readLock().lock();
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = openIterator(ro)) {
            long n = scan.count(it);
            it.status();
            return n;
        } catch (RocksDBException e) {
            throw new UncheckedIOException(new IOException("KV count failed: " + e.getMessage(), e));
        } finally {
            handleLock.readLock().unlock();
        }
    }

    /** Where a listing seeks: the cursor when it lies past the prefix (and is then skipped), else the prefix. */
    private static byte[] seekStart(byte[] prefix, String afterKey) {
        if (afterKey == null || afterKey.isEmpty()) return prefix;
        byte[] after = afterKey.getBytes(StandardCharsets.UTF_8);
        return Arrays.compareUnsigned(after, prefix) >= 0 ? after : prefix;
    }

    private RocksIterator openIterator(ReadOptions ro) {
        ensureOpen();
        return handle.iterator(ro);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return KeyScan.startsWith(key, prefix);
    }

    /**
     * Watches {@code key} (or, when it is null, every key starting with {@code prefix}) for changes after
     * {@code afterRevision}, or after the applied index when it is negative. The caller closes the watcher.
     *
     * @throws HistoryCompactedException if changes after {@code afterRevision} are no longer all kept
     */
    public Watcher watch(String key, String prefix, long afterRevision) {
        Watcher w = new Watcher(key, prefix == null ? "" : prefix, WATCH_BUFFER, this, watchers);
        // Registered before the start is fixed: every change applied from here on reaches the buffer.
        watchers.add(w);
        long after = afterRevision < 0 ? appliedIndex : afterRevision;
        long floor = historyFloor;
        if (after + 1 < floor) {
            watchers.remove(w);
            throw new HistoryCompactedException(floor);
        }
        w.startAfter(after);
        return w;
    }

    /** How many watchers are open on this store. */
    public int watcherCount() {
        return watchers.size();
    }

    /** The oldest revision the watch history holds every change from. */
    long historyFloor() {
        return historyFloor;
    }

    /**
     * The history records after ({@code afterRevision}, {@code afterSeq}): about {@code max} of them, but
     * always to the end of a revision, so a chunk never splits one; only the {@code matching} ones are kept.
     */
    HistoryChunk readHistory(long afterRevision, int afterSeq, int max, java.util.function.Predicate<String> matching) {
        handleLock.readLock().lock();
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = historyIterator(ro)) {
            byte[] start = History.key(afterRevision, afterSeq);
            it.seek(start);
            if (it.isValid() && Arrays.equals(it.key(), start)) it.next();
            List<Change> out = new ArrayList<>();
            long lastRevision = afterRevision;
            int lastSeq = afterSeq;
            int read = 0;
            for (; it.isValid(); it.next()) {
                byte[] k = it.key();
                long revision = History.revisionOf(k);
                if (read >= max && revision != lastRevision) {
                    return new HistoryChunk(out, lastRevision, lastSeq, false);
                }
                Change c = History.decode(k, it.value());
                if (matching.test(c.key())) out.add(c);
                lastRevision = revision;
                lastSeq = ByteBuffer.wrap(k, Long.BYTES, Integer.BYTES).getInt();
                read++;
            }
            it.status();
            return new HistoryChunk(out, lastRevision, lastSeq, true);
        } catch (RocksDBException e) {
            throw new UncheckedIOException(new IOException("KV history read failed: " + e.getMessage(), e));
        } finally {
            handleLock.readLock().unlock();
        }
    }

    /** One read of the history: the matching changes, where it stopped, and whether it reached the end. */
    record HistoryChunk(List<Change> matching, long lastRevision, int lastSeq, boolean atEnd) {
    }

    private RocksIterator historyIterator(ReadOptions ro) {
        ensureOpen();
        return handle.historyIterator(ro);
    }

    /** A numeric RocksDB property of the live generation (see {@link RocksHandle#property}); empty once closed. */
    public OptionalLong rocksProperty(String name) {
        handleLock.readLock().lock();
        try {
            return closed ? OptionalLong.empty() : OptionalLong.of(handle.property(name));
        } catch (IOException e) {
            return OptionalLong.empty(); // a gauge that cannot be read is left out of the scrape, not an error
        } finally {
            handleLock.readLock().unlock();
        }
    }

    /**
     * Forgets every member's address: a cluster restored from a backup runs on its own member list,
     * and must not dial the addresses of the cluster the backup came from.
     */
    public void clearAddresses() throws IOException {
        writer.lock();
        handleLock.readLock().lock();
        try (WriteBatch batch = new WriteBatch()) {
            ensureOpen();
            batch.delete(handle.meta(), ADDRESSES_KEY);
            handle.write(batch);
            addresses = AddressBook.EMPTY;
        } catch (RocksDBException e) {
            throw new IOException("clearing the address book failed: " + e.getMessage(), e);
        } finally {
            handleLock.readLock().unlock();
            writer.unlock();
        }
    }

    /** Flushes and compacts so that overwritten and deleted versions give their space back. */
    public void compact() throws IOException {
        handleLock.readLock().lock();
        try {
            ensureOpen();
            handle.compact();
        } finally {
            handleLock.readLock().unlock();
        }
    }

    /**
     * Writes a RocksDB checkpoint into {@code target} (which must not exist) and returns the
     * applied index and term it holds; apply is held off meanwhile so the two agree.
     */
    AppliedPosition checkpoint(Path target) throws IOException {
        writer.lock();
        handleLock.readLock().lock();
        try {
            ensureOpen();
            handle.checkpoint(target);
            return new AppliedPosition(appliedIndex, appliedTerm);
        } finally {
            handleLock.readLock().unlock();
            writer.unlock();
        }
    }

    /** The applied index and term at one instant. */
    record AppliedPosition(long index, long term) {
    }

    /**
     * Replaces the whole state with the snapshot in {@code snapshotDir} (a complete directory
     * from {@link SnapshotStore}). Atomic across crashes: a restart finds either the old state
     * or the snapshot's, never a mix; the switch is the rename of the generation pointer.
     */
    public void installSnapshot(Path snapshotDir) throws IOException {
        install(snapshotDir, SnapshotInstall.Keep.NONE, SnapshotInstall.Replace.NONE);
    }

    /**
     * {@link #installSnapshot(Path)} for a member that may hold shares of the snapshot's writes: a value the
     * snapshot holds as another member's fragment keeps this store's whole copy or own fragment of the same
     * entry ({@code FollowerShare.keepHeld}), merged into the new generation before the switch; when any is
     * kept, {@code replace} gets the merged database before the switch too ({@link SnapshotStore#install}).
     *
     * @param ownFragment this member's fragment id under a membership's voters; negative when it holds none
     */
    void installSnapshot(Path snapshotDir, ToIntFunction<ConfState> ownFragment, SnapshotInstall.Replace replace)
            throws IOException {
        install(snapshotDir, (fresh, conf) -> {
            int own = ownFragment.applyAsInt(ConfStateCodec.decode(conf));
            handleLock.readLock().lock();
            try {
                ensureOpen();
                return KeptShares.merge(handle, fresh, own);
            } finally {
                handleLock.readLock().unlock();
            }
        }, replace);
    }

    private void install(Path snapshotDir, SnapshotInstall.Keep keep, SnapshotInstall.Replace replace)
            throws IOException {
        writer.lock();
        try {
            ensureOpenUnlocked();
            new SnapshotInstall(generations, options, installHook).run(snapshotDir, keep, replace, this::swap);
        } finally {
            writer.unlock();
        }
    }

    /** Makes {@code fresh} the live database and returns the one it replaced. Caller holds {@code writer}. */
    private RocksHandle swap(RocksHandle fresh) throws IOException {
        StoredMeta meta = StoredMeta.read(fresh);
        AuthState freshAuth = readAuth(fresh);
        AddressBook freshAddresses = readAddresses(fresh);
        LeaseTable freshLeases = LeaseTable.read(fresh);
        handleLock.writeLock().lock();
        try {
            RocksHandle old = handle;
            handle = fresh;
            setMeta(meta);
            auth = freshAuth;
            addresses = freshAddresses;
            leases = freshLeases;
            loadHistoryFloor(fresh);
            // The snapshot brought its own history: a watcher resumes against it, or learns it is compacted.
            watchers.endAll(Watcher.End.RESET);
            return old;
        } finally {
            handleLock.writeLock().unlock();
        }
    }

    /** An undecodable address entry changes nothing, on every replica alike. */
    private static AddressBook applyAddress(AddressBook before, Entry e, List<ApplyResult.Outcome> outcomes) {
        try {
            AddressBook after = before.apply(AddressBook.decodeSet(e.data()));
            outcomes.add(new ApplyResult.Applied(e.index(), e.index()));
            return after;
        } catch (IllegalArgumentException bad) {
            log.warn("skipping undecodable address entry {}: {}", e.index(), bad.getMessage());
            outcomes.add(new ApplyResult.Rejected(e.index(), bad.getMessage()));
            return before;
        }
    }

    void setInstallHook(InstallStep.Hook hook) {
        this.installHook = hook;
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("KV store is closed");
    }

    private void ensureOpenUnlocked() {
        handleLock.readLock().lock();
        try {
            ensureOpen();
        } finally {
            handleLock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        closeWith(false);
    }

    /** Closes the way a crash would: without flushing memtables (test seam for kill -9). */
    void crashClose() {
        closeWith(true);
    }

    private void closeWith(boolean crash) {
        handleLock.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            watchers.endAll(Watcher.End.CLOSED);
            if (crash) handle.closeWithoutFlush();
            else handle.close();
        } finally {
            handleLock.writeLock().unlock();
        }
    }
}
