package io.leifdb.server.node;

import io.leifdb.raft.driver.FsyncExecutor;
import io.leifdb.raft.driver.SyncTicket;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * The leader's fsync, on its own thread, so that the driver goes on stepping acknowledgements and
 * proposals while the disk works (thesis §10.2.1). Requests that arrive during an fsync collapse
 * into the newest one: it covers everything the older ones did.
 */
final class WalSyncer implements FsyncExecutor, Runnable {
    private final Consumer<DriverEvent.Synced> done;
    private SyncTicket next;
    private long nextTerm;
    private boolean running = true;

    WalSyncer(Consumer<DriverEvent.Synced> done) {
        this.done = done;
    }

    @Override
    public synchronized void request(SyncTicket ticket, long term) {
        next = ticket;
        nextTerm = term;
        notifyAll();
    }

    synchronized void stop() {
        running = false;
        notifyAll();
    }

    @Override
    public void run() {
        while (true) {
            SyncTicket ticket;
            long term;
            synchronized (this) {
                while (next == null && running) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!running) return;
                ticket = next;
                term = nextTerm;
                next = null;
            }
            try {
                ticket.force();
            } catch (IOException e) {
                synchronized (this) {
                    if (!running) return; // closing: the log is being closed under us
                }
                DriverLoop.halt("WAL fsync failed", e);
            }
            done.accept(new DriverEvent.Synced(ticket, term));
        }
    }
}
