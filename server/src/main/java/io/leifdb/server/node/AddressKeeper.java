package io.leifdb.server.node;

import io.leifdb.raft.ConfState;
import io.leifdb.server.kv.AddressBook;
import io.leifdb.server.kv.ApplyResult;
import io.leifdb.server.transport.GrpcTransport.Announced;
import io.leifdb.server.transport.NodeIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * On the leader, keeps the replicated {@link AddressBook} true (issue 13): a member restarted on
 * another raft or HTTP port says so in its Hello to every peer, and the leader writes the change
 * through the log, after which every member dials the new address. The leader records itself the
 * same way. One entry at a time, on its own virtual thread, every {@link #PERIOD_MILLIS}.
 */
final class AddressKeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AddressKeeper.class);
    static final long PERIOD_MILLIS = 300;

    private final DriverLoop driver;
    private final StatusBoard board;
    private final Members members;
    private final Supplier<Map<Long, Announced>> announced;
    private volatile boolean closed;
    private Thread thread;

    AddressKeeper(DriverLoop driver, StatusBoard board, Members members, Supplier<Map<Long, Announced>> announced) {
        this.driver = driver;
        this.board = board;
        this.members = members;
        this.announced = announced;
    }

    void start() {
        thread = Thread.ofVirtual().name("address-keeper").start(() -> {
            while (!closed) {
                try {
                    TimeUnit.MILLISECONDS.sleep(PERIOD_MILLIS);
                    if (board.isLeader()) round();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.debug("address book round failed: {}", e.toString());
                }
            }
        });
    }

    /** Records at most one member whose announced addresses differ from the book's entry. */
    private void round() throws InterruptedException {
        ConfState conf = board.conf();
        Set<Long> ids = new TreeSet<>(conf.voters());
        ids.addAll(conf.learners());
        Map<Long, Announced> heard = announced.get();
        AddressBook book = members.book();
        for (long id : ids) {
            Optional<AddressBook.Addresses> want = id == members.selfId() ? Optional.of(members.selfAddresses())
                    : Optional.ofNullable(heard.get(id)).map(a -> new AddressBook.Addresses(a.raftAddress(), a.httpAddress()));
            if (want.isEmpty() || !wellFormed(want.get()) || Objects.equals(book.of(id).orElse(null), want.get())) continue;
            CompletableFuture<ApplyResult.Outcome> applied = new CompletableFuture<>();
            driver.post(new DriverEvent.Propose(new AddressBook.Set(id, want.get()).encode(), applied));
            try {
                applied.get(MembershipAdmin.WAIT_MS, TimeUnit.MILLISECONDS);
                log.info("address book: member {} listens at raft {}, HTTP {}", id, want.get().raft(), want.get().http());
            } catch (ExecutionException | TimeoutException e) {
                log.debug("recording member {}'s address did not commit: {}", id, e.toString());
            }
            return;
        }
    }

    private static boolean wellFormed(AddressBook.Addresses a) {
        try {
            NodeIds.idOf(a.raft()); // parses host:port
            NodeIds.idOf(a.http());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) thread.interrupt();
    }
}
