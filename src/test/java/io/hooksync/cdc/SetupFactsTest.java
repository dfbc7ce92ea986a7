package io.hooksync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The setup decision: each wrong setting gives one problem naming its fix; a ready database gives none. */
class SetupFactsTest {

    private static CdcSource source(boolean autocreate) {
        return new CdcSource(CdcSource.Kind.POSTGRESQL, "crm", "hooksync.events.crm", "jdbc:postgresql://db:5432/shop", "db", 5432, "shop", "sync",
                "", List.of("public.customers"), autocreate, "initial", Duration.ofSeconds(10), 1000);
    }

    private static SetupFacts ready() {
        return new SetupFacts("logical", false, true, List.of(), List.of(), true, false, List.of());
    }

    /** Publishing a table without replica identity makes every UPDATE and DELETE on it fail for its application. */
    @Test
    void aTableWithoutReplicaIdentityIsRefusedBeforeItIsPublished() {
        SetupFacts facts = new SetupFacts("logical", false, true, List.of(), List.of(), true, false,
                List.of("public.notes"));
        assertThat(facts.problems(source(true))).singleElement().asString()
                .contains("table(s) [public.notes] on db:5432/shop have no primary key or replica identity")
                .contains("every UPDATE and DELETE on them would fail")
                .contains("ALTER TABLE public.notes REPLICA IDENTITY FULL");
    }

    @Test
    void aReadyDatabaseHasNoProblem() {
        assertThat(ready().problems(source(true))).isEmpty();
    }

    @Test
    void walLevelReplicaNamesTheSetting() {
        SetupFacts facts = new SetupFacts("replica", false, true, List.of(), List.of(), true, false, List.of());
        assertThat(facts.problems(source(true))).singleElement().asString()
                .contains("wal_level is 'replica' on db:5432/shop").contains("ALTER SYSTEM SET wal_level = logical");
    }

    @Test
    void aRoleWithoutReplicationNamesTheGrant() {
        SetupFacts facts = new SetupFacts("logical", false, false, List.of(), List.of(), true, false, List.of());
        assertThat(facts.problems(source(true))).singleElement().asString()
                .contains("user 'sync' has no REPLICATION").contains("ALTER ROLE \"sync\" REPLICATION");
    }

    @Test
    void aSuperuserNeedsNoReplicationAttributeNorOwnership() {
        SetupFacts facts = new SetupFacts("logical", true, false, List.of(), List.of("public.customers"), false, false, List.of());
        assertThat(facts.problems(source(true))).isEmpty();
    }

    @Test
    void aMissingPublicationWithoutAutocreateNamesTheStatement() {
        assertThat(ready().problems(source(false))).singleElement().asString()
                .contains("publication hooksync_crm does not exist")
                .contains("CREATE PUBLICATION hooksync_crm FOR TABLE public.customers");
        SetupFacts existing = new SetupFacts("logical", false, true, List.of(), List.of(), true, true, List.of());
        assertThat(existing.problems(source(false))).isEmpty();
    }

    @Test
    void autocreateByANonOwnerIsRefusedBeforeDebeziumTries() {
        SetupFacts facts = new SetupFacts("logical", false, true, List.of(), List.of("public.customers"), true, false, List.of());
        assertThat(facts.problems(source(true))).singleElement().asString()
                .contains("cannot create publication hooksync_crm").contains("does not own [public.customers]");
    }

    @Test
    void missingTablesAreNamed() {
        SetupFacts facts = new SetupFacts("logical", false, true, List.of("public.customers"), List.of(), true, false, List.of());
        assertThat(facts.problems(source(true))).singleElement().asString()
                .contains("[public.customers] do not exist");
    }
}
