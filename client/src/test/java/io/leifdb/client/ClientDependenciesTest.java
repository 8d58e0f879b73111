package io.leifdb.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The client is what applications embed: the JDK and Jackson only, never the server, the core or gRPC. */
class ClientDependenciesTest {
    @Test
    void theClientUsesOnlyTheJdkAndJackson() {
        JavaClasses client = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.leifdb.client");
        classes().that().resideInAPackage("io.leifdb.client..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.leifdb.client..", "java..", "javax.net.ssl..", "com.fasterxml.jackson..")
                .check(client);
    }
}
