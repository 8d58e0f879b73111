package io.leifdb.server.arch;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.leifdb.raft.archfixture.CoreReachingIntoServer;
import io.leifdb.server.http.archfixture.HttpFixtures;
import io.leifdb.server.kv.archfixture.KvReachingIntoHttp;
import io.leifdb.server.storage.archfixture.StorageReachingIntoHttp;
import org.junit.jupiter.api.Test;

/** The house rules hold for the production classes, and each one catches a violation of its own. */
class HouseRulesTest {
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.leifdb");

    @Test
    void theProductionCodeKeepsEveryRule() {
        for (ArchRule rule : HouseRules.ALL) rule.check(PRODUCTION);
    }

    @Test
    void theCoreReachingIntoTheServerIsCaught() {
        assertViolates(HouseRules.CORE_IS_PURE, CoreReachingIntoServer.class);
    }

    @Test
    void httpReachingIntoStorageOrTransportIsCaught() {
        assertViolates(HouseRules.HTTP_SKIPS_STORAGE_AND_TRANSPORT, HttpFixtures.ReachesStorage.class);
        assertViolates(HouseRules.HTTP_SKIPS_STORAGE_AND_TRANSPORT, HttpFixtures.ReachesTransport.class);
    }

    @Test
    void httpReachingIntoKvInternalsIsCaughtButItsValueRecordsPass() {
        assertViolates(HouseRules.HTTP_SKIPS_KV_INTERNALS, HttpFixtures.ReachesKvInternals.class);
        assertThatCode(() -> HouseRules.HTTP_SKIPS_KV_INTERNALS.check(
                new ClassFileImporter().importClasses(HttpFixtures.UsesKvValues.class))).doesNotThrowAnyException();
    }

    @Test
    void kvOrStorageReachingIntoHttpIsCaught() {
        assertViolates(HouseRules.STATE_NEVER_SEES_HTTP, KvReachingIntoHttp.class);
        assertViolates(HouseRules.STATE_NEVER_SEES_HTTP, StorageReachingIntoHttp.class);
    }

    private static void assertViolates(ArchRule rule, Class<?> fixture) {
        assertThatThrownBy(() -> rule.check(new ClassFileImporter().importClasses(fixture)))
                .isInstanceOf(AssertionError.class).hasMessageContaining(fixture.getName());
    }
}
