package io.leifdb.server.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import io.leifdb.server.kv.Change;
import io.leifdb.server.kv.HistoryCompactedException;
import io.leifdb.server.kv.KeyPage;
import io.leifdb.server.kv.KeyValue;
import io.leifdb.server.kv.Lease;
import io.leifdb.server.kv.Precondition;
import io.leifdb.server.kv.Txn;
import io.leifdb.server.kv.TxnResult;
import io.leifdb.server.kv.Utf8;
import io.leifdb.server.kv.Watcher;
import java.util.List;

/** The package rules of docs/architecture.md ("House rules the build keeps"), as ArchUnit rules. */
final class HouseRules {
    private HouseRules() {
    }

    /** What http uses of kv: the records of the client API, one per idea. Everything else in kv is internal. */
    static final Class<?>[] KV_VALUES_FOR_HTTP = {KeyValue.class, Lease.class, KeyPage.class, Precondition.class, Txn.class,
            Txn.Compare.class, Txn.Target.class, Txn.CompareOp.class, Txn.Op.class, Txn.Put.class, Txn.Delete.class,
            Txn.Get.class, TxnResult.class, TxnResult.OpResult.class, TxnResult.PutResult.class,
            TxnResult.DeleteResult.class, TxnResult.GetResult.class, Watcher.class, Watcher.End.class, Change.class,
            Change.Type.class, HistoryCompactedException.class, Utf8.class, Utf8.Kind.class};

    /** The core is pure: it runs in the simulation and knows nothing of the node around it. */
    static final ArchRule CORE_IS_PURE = noClasses().that().resideInAPackage("io.leifdb.raft..")
            .should().dependOnClassesThat().resideInAPackage("io.leifdb.server..");

    /** http talks to the node through its backend, never to the disk or the network. */
    static final ArchRule HTTP_SKIPS_STORAGE_AND_TRANSPORT = noClasses().that().resideInAPackage("io.leifdb.server.http..")
            .should().dependOnClassesThat().resideInAnyPackage("io.leifdb.server.storage..", "io.leifdb.server.transport..");

    static final ArchRule HTTP_SKIPS_KV_INTERNALS = noClasses().that().resideInAPackage("io.leifdb.server.http..")
            .should().dependOnClassesThat(resideInAPackage("io.leifdb.server.kv..")
                    .and(not(belongToAnyOf(KV_VALUES_FOR_HTTP))).as("kv internals (anything but KeyValue, Lease, KeyPage, Precondition, Txn, TxnResult, Watcher, Change, Utf8)"));

    /** The state below the API never knows the API. */
    static final ArchRule STATE_NEVER_SEES_HTTP = noClasses().that().resideInAnyPackage("io.leifdb.server.storage..", "io.leifdb.server.kv..")
            .should().dependOnClassesThat().resideInAPackage("io.leifdb.server.http..");

    static final List<ArchRule> ALL = List.of(CORE_IS_PURE, HTTP_SKIPS_STORAGE_AND_TRANSPORT, HTTP_SKIPS_KV_INTERNALS,
            STATE_NEVER_SEES_HTTP);
}
