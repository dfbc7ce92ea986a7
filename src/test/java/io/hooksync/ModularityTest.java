package io.hooksync;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.asm.ClassReader;

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

    /** Boot's ObjectMapper is injected; code without a Spring context shares PlainJson: nobody builds a mapper of its own. */
    @Test
    void onlyPlainJsonBuildsAnObjectMapper() {
        noClasses().that().doNotHaveFullyQualifiedName("io.hooksync.infra.PlainJson")
                .should().callConstructor(com.fasterxml.jackson.databind.ObjectMapper.class)
                .orShould().callMethod(com.fasterxml.jackson.databind.json.JsonMapper.class, "builder")
                .because("a mapper built here would miss spring.jackson.* settings and drift from the others")
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

    /** Header names are the envelope's: a class elsewhere that spells {@code ce_id} would be a second copy of the contract. */
    @Test
    void onlyTheEnvelopeNamesEventHeaders() {
        classes().that().resideOutsideOfPackage("io.hooksync.infra.envelope..")
                .should(haveNoStringConstant("name an event header (ce_*, hooksync_action, hooksync_cause_id)",
                        Pattern.compile("ce_[a-z]+|hooksync_action|hooksync_cause_id")))
                .because("EventEnvelope writes and reads the headers of every event record")
                .check(classes);
    }

    /**
     * One writer of outbox rows and of their queue entries: SQL that inserts into {@code hooksync_outbox} or
     * {@code hooksync_outbox_queue}, or a bare table name, only there (a row without its entry would never be relayed).
     */
    @Test
    void onlyTheOutboxWriterInsertsOutboxRows() {
        classes().that().doNotHaveFullyQualifiedName("io.hooksync.infra.outbox.OutboxWriter")
                .should(haveNoStringConstant("insert outbox rows or queue entries", Pattern.compile(
                        "(?is)hooksync_outbox(_queue)?|.*\\binsert\\b.*\\bhooksync_outbox(_queue)?\\b.*")))
                .because("OutboxWriter inserts hooksync_outbox rows and their queue entries in the caller's transaction")
                .check(classes);
    }

    /** The dialect is detected once, in infra.sql, and injected: nobody else asks which database this is. */
    @Test
    void onlyTheSqlDialectAsksWhichDatabaseThisIs() {
        noClasses().that().resideOutsideOfPackage("io.hooksync.infra.sql..")
                .should().callMethod(DatabaseMetaData.class, "getDatabaseProductName")
                .because("SqlDialect.of(DataSource) chooses one strategy per database once")
                .check(classes);
    }

    /**
     * A condition on the string constants of a class file (javac folds constant expressions and keeps the
     * constant parts of a concatenation in the class's constant pool), which ArchUnit does not model.
     */
    private static ArchCondition<JavaClass> haveNoStringConstant(String what, Pattern forbidden) {
        return new ArchCondition<>("not " + what) {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                for (String constant : stringConstants(type)) {
                    if (forbidden.matcher(constant).matches()) {
                        events.add(SimpleConditionEvent.violated(type, type.getName() + " has the string constant \""
                                + constant + "\""));
                    }
                }
            }
        };
    }

    private static final int CONSTANT_STRING = 8;

    static List<String> stringConstants(JavaClass type) {
        byte[] bytes;
        try (InputStream in = type.getSource().orElseThrow().getUri().toURL().openStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ClassReader reader = new ClassReader(bytes);
        char[] buffer = new char[reader.getMaxStringLength()];
        List<String> constants = new ArrayList<>();
        for (int i = 1; i < reader.getItemCount(); i++) {
            int offset = reader.getItem(i);   // 0 for the unusable slot after a long or double
            if (offset > 0 && bytes[offset - 1] == CONSTANT_STRING) {
                constants.add((String) reader.readConst(i, buffer));
            }
        }
        return constants;
    }
}
