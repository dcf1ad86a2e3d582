package dev.nostrgate.relay;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The relay's packages depend one way, in the order a message travels through the relay: a package may use the ones
 * after it, never one before it, so each stage can be read (and changed) knowing only what comes downstream.
 *
 * <ul>
 *   <li>{@code server} (Netty) hands frames to {@code ingest} (parse, verify, dispatch), which hands events to the
 *       store's writer and requests to {@code subscription} (query pool, live monitor), which reads the
 *       {@code store}. The store comes last of the stages because both the writer path and the query path stand
 *       on it; its commits reach the live monitor through a callback wired in {@code Relay}, so it imports no
 *       stage. A later stage that must talk back to a client names what it needs in its own package
 *       ({@link dev.nostrgate.relay.subscription.Subscriber}, {@link dev.nostrgate.relay.ingest.ClientSession})
 *       and the server's {@code Connection} implements it.
 *   <li>{@code config} comes after ingest: the server and ingest read {@code RelayConfig}, which assembles the
 *       store's own settings records ({@code DatabaseConfig}, {@code WriterConfig}); the query stage and the store
 *       get only their own settings, never the whole configuration.
 *   <li>{@code replica} comes before the store: committed events go out to the other replicas, and theirs come in
 *       to the live monitor, both through callbacks wired in {@code Relay}.
 *   <li>{@code metrics} comes last: every stage reports to it, and it reads nothing of theirs.
 *   <li>The root package ({@code Relay}, {@code RelayMain}) wires the stages together; nothing uses it.
 * </ul>
 */
class PackageOrderTest {
    private static final String ROOT = "dev.nostrgate.relay";
    private static final List<String> ORDER =
            List.of("server", "ingest", "config", "subscription", "replica", "store", "metrics");

    private static final JavaClasses RELAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void noPackageUsesOneThatComesEarlierInThePath() {
        CompositeArchRule rule = CompositeArchRule.of(reachesBackFrom(1));
        for (int later = 2; later < ORDER.size(); later++) {
            rule = rule.and(reachesBackFrom(later));
        }
        rule.check(RELAY);
    }

    @Test
    void onlyTheRootPackageUsesTheRootPackage() {
        noClasses().that().resideOutsideOfPackage(ROOT).should().dependOnClassesThat().resideInAPackage(ROOT)
                .because("Relay and RelayMain wire the stages together; a stage needs its collaborators, not the "
                        + "whole relay")
                .check(RELAY);
    }

    /** Classes of the package at this position must not use any package before it (sub-packages included). */
    private static ArchRule reachesBackFrom(int later) {
        String[] earlier = ORDER.subList(0, later).stream().map(p -> ROOT + "." + p + "..")
                .toArray(String[]::new);
        String stage = ORDER.get(later);
        return noClasses().that().resideInAPackage(ROOT + "." + stage + "..")
                .should().dependOnClassesThat().resideInAnyPackage(earlier)
                .because(stage + " comes after " + String.join(", ", ORDER.subList(0, later))
                        + " in the relay's path");
    }
}
