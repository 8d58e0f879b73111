package io.leifdb.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** GET /backup: takes a consistent backup on this node and streams it as a ZIP archive. */
final class BackupHandler {
    private static final Logger LOG = LoggerFactory.getLogger(BackupHandler.class);

    private final KvBackend backend;

    BackupHandler(KvBackend backend) {
        this.backend = backend;
    }

    void backup(ServerRequest req, ServerResponse res, QueryParams q) throws IOException {
        // No request timeout: the copy takes as long as the data needs, and the backend bounds its barrier.
        try (Backup b = take()) {
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, "application/zip");
            res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + b.fileName() + "\"");
            res.header("X-LeifDB-Backup-Index", Long.toString(b.index()));
            if (Head.isHead()) {
                res.send();
                return;
            }
            try (OutputStream out = res.outputStream()) {
                b.writeTo(out);
            }
            LOG.info("backup at index {} sent to {}", b.index(), req.remotePeer().address());
        }
    }

    private Backup take() {
        try {
            return backend.backup().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            // No leader known (the barrier needs one): 503 no_leader, as for a read.
            if (cause instanceof NotLeaderException || cause instanceof ApiError) throw (RuntimeException) cause;
            String why = cause instanceof TimeoutException
                    ? "this member could not confirm it holds every acknowledged write (is a majority reachable?)"
                    : String.valueOf(cause.getMessage()).replace('\n', ' ');
            throw ApiError.unavailable("the backup failed: " + why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("the backup was interrupted");
        }
    }
}
