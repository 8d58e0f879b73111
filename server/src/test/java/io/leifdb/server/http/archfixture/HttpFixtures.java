package io.leifdb.server.http.archfixture;

import io.leifdb.server.kv.KeyPage;
import io.leifdb.server.kv.KeyValue;
import io.leifdb.server.kv.KvStore;
import io.leifdb.server.kv.Precondition;
import io.leifdb.server.storage.SegmentedWal;
import io.leifdb.server.transport.GrpcTransport;

/** http classes that break (or keep) the house rules, for HouseRulesTest. */
public final class HttpFixtures {
    private HttpFixtures() {
    }

    public static final class ReachesStorage {
        SegmentedWal wal;
    }

    public static final class ReachesTransport {
        GrpcTransport transport;
    }

    public static final class ReachesKvInternals {
        KvStore store;
    }

    /** The value records http may use. */
    public static final class UsesKvValues {
        KeyValue kv;
        KeyPage keys;
        Precondition precondition = Precondition.NONE;
    }
}
