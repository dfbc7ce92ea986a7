package io.hooksync;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.time.Duration;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/** Keeps the arrows pointing one way: features depend on infra, never on each other's insides. */
class ModularityTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.hooksync");

    @Test
    void infraDependsOnNoFeature() {
        noClasses().that().resideInAPackage("io.hooksync.infra..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hooksync.ingress..", "io.hooksync.sink..",
                        "io.hooksync.mapping..", "io.hooksync.cdc..")
                .check(classes);
    }

    @Test
    void ingressKnowsNothingOfTheSink() {
        noClasses().that().resideInAPackage("io.hooksync.ingress..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hooksync.sink..", "io.hooksync.mapping..")
                .check(classes);
    }

    @Test
    void mappingIsPureAndTheSinkDoesNotReachIntoIngress() {
        noClasses().that().resideInAPackage("io.hooksync.mapping..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hooksync.sink..", "io.hooksync.ingress..",
                        "org.apache.camel..", "org.springframework.jdbc..")
                .check(classes);
        noClasses().that().resideInAPackage("io.hooksync.sink..")
                .should().dependOnClassesThat().resideInAPackage("io.hooksync.ingress..")
                .check(classes);
    }

    @Test
    void cdcFeedsTheSinkOnlyThroughKafka() {
        noClasses().that().resideInAPackage("io.hooksync.cdc..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hooksync.ingress..", "io.hooksync.sink..",
                        "io.hooksync.mapping..", "io.hooksync.outbound..")
                .check(classes);
        noClasses().that().resideInAnyPackage("io.hooksync.ingress..", "io.hooksync.sink..", "io.hooksync.mapping..")
                .should().dependOnClassesThat().resideInAPackage("io.hooksync.cdc..")
                .check(classes);
    }

    @Test
    void theTimelineAndTheDashboardReadOtherFeaturesThroughTheirTablesNotTheirClasses() {
        noClasses().that().resideInAnyPackage("io.hooksync.timeline..", "io.hooksync.dashboard..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hooksync.ingress..", "io.hooksync.sink..",
                        "io.hooksync.mapping..", "io.hooksync.outbound..", "io.hooksync.management..")
                .check(classes);
    }

    /** One consumer-loop building block: features hand it a processor instead of writing poll loops. */
    @Test
    void onlyTheConsumerLoopAndTheSinkPollKafka() {
        noClasses().that().resideOutsideOfPackages("io.hooksync.infra.consumer..", "io.hooksync.sink..")
                .should().callMethod(KafkaConsumer.class, "poll", Duration.class)
                .orShould().callMethod(Consumer.class, "poll", Duration.class)
                .because("the sink keeps its own loop (dead letters, breaker); every other consumer uses ConsumerLoop")
                .check(classes);
    }

    @Test
    void securityKnowsNoFeatureAndNoFeatureKnowsTheManagementPlane() {
        noClasses().that().resideInAPackage("io.hooksync.management..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hooksync.ingress..", "io.hooksync.sink..",
                        "io.hooksync.mapping..", "io.hooksync.outbound..", "io.hooksync.timeline..",
                        "io.hooksync.dashboard..")
                .check(classes);
        noClasses().that().resideInAnyPackage("io.hooksync.ingress..", "io.hooksync.sink..", "io.hooksync.mapping..",
                        "io.hooksync.outbound..", "io.hooksync.infra..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hooksync.management..", "io.hooksync.timeline..",
                        "io.hooksync.dashboard..")
                .check(classes);
    }

    /** Backfill is a leaf: it uses the sink through ReplaySink and HistoryReader; nothing uses it. */
    @Test
    void nothingDependsOnBackfill() {
        noClasses().that().resideOutsideOfPackage("io.hooksync.backfill..")
                .should().dependOnClassesThat().resideInAPackage("io.hooksync.backfill..")
                .check(classes);
        noClasses().that().resideInAPackage("io.hooksync.backfill..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hooksync.ingress..", "io.hooksync.outbound..",
                        "io.hooksync.cdc..", "io.hooksync.timeline..", "io.hooksync.dashboard..", "io.hooksync.management..")
                .check(classes);
    }
}
