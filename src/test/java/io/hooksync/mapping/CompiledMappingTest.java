package io.hooksync.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.ExpressionBounds;
import org.junit.jupiter.api.Test;

class CompiledMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Mappings shipped = Mappings.load(Path.of("mappings"));

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fixture(String name) throws IOException {
        return JSON.readValue(Files.readAllBytes(Path.of("src/test/resources/fixtures/github/" + name)), Map.class);
    }

    @Test
    void githubIssueBecomesOneTypedRow() throws Exception {
        CompiledMapping mapping = shipped.find("github/issues").orElseThrow().compile();
        List<CompiledMapping.Row> rows = mapping.apply(fixture("issues-labeled.json"), Map.of());
        assertThat(rows).hasSize(1);
        CompiledMapping.Row row = rows.get(0);
        assertThat(row.values()[mapping.indexOf("id")]).isEqualTo(444500041L);
        assertThat(row.values()[mapping.indexOf("number")]).isEqualTo(1);
        assertThat(row.values()[mapping.indexOf("repository")]).isEqualTo("Codertocat/Hello-World");
        assertThat(row.values()[mapping.indexOf("labels")]).isEqualTo("bug");
        assertThat(row.values()[mapping.indexOf("updated_at")]).isEqualTo(OffsetDateTime.parse("2019-05-15T15:20:18Z"));
        assertThat(row.deleted()).isFalse();
    }

    @Test
    void deletedIssueIsATombstone() throws Exception {
        CompiledMapping mapping = shipped.find("github/issues").orElseThrow().compile();
        assertThat(mapping.apply(fixture("issues-deleted.json"), Map.of())).singleElement()
                .satisfies(row -> assertThat(row.deleted()).isTrue());
    }

    @Test
    void pushYieldsOneRowPerCommitWithEventFields() throws Exception {
        CompiledMapping mapping = shipped.find("github/commits").orElseThrow().compile();
        List<CompiledMapping.Row> rows = mapping.apply(fixture("push.json"), Map.of());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).values()[mapping.indexOf("sha")]).isEqualTo("6113728f27ae82c7b1a177c8d03f9e96e0adf246");
        assertThat(rows.get(0).values()[mapping.indexOf("repository")]).isEqualTo("Codertocat/Hello-World");
        assertThat(rows.get(0).values()[mapping.indexOf("ref")]).isEqualTo("refs/heads/master");
    }

    @Test
    void pullRequestBecomesARowWithMergeState() throws Exception {
        CompiledMapping mapping = shipped.find("github/pull_requests").orElseThrow().compile();
        CompiledMapping.Row row = mapping.apply(fixture("pull_request-closed.json"), Map.of()).get(0);
        assertThat(row.values()[mapping.indexOf("id")]).isEqualTo(279147437L);
        assertThat(row.values()[mapping.indexOf("state")]).isEqualTo("closed");
        assertThat(row.values()[mapping.indexOf("base_ref")]).isEqualTo("master");
        assertThat(row.values()[mapping.indexOf("merged")]).isEqualTo(false);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stripe(String name) throws IOException {
        return JSON.readValue(Files.readAllBytes(Path.of("src/test/resources/fixtures/stripe/" + name)), Map.class);
    }

    @Test
    void stripeInvoiceAndPaymentIntentAreVersionedByTheEventsCreated() throws Exception {
        CompiledMapping invoices = shipped.find("stripe/invoices").orElseThrow().compile();
        CompiledMapping.Row invoice = invoices.apply(stripe("invoice.paid.json"), Map.of()).get(0);
        assertThat(invoice.values()[invoices.indexOf("id")]).isEqualTo("in_1QinvoiceDemo01");
        assertThat(invoice.values()[invoices.indexOf("status")]).isEqualTo("paid");
        assertThat(invoice.values()[invoices.indexOf("amount_paid")]).isEqualTo(4900L);
        assertThat(invoice.values()[invoices.indexOf("event_created")]).isEqualTo(1732801000L);

        CompiledMapping intents = shipped.find("stripe/payment_intents").orElseThrow().compile();
        CompiledMapping.Row intent = intents.apply(stripe("payment_intent.succeeded.json"), Map.of()).get(0);
        assertThat(intent.values()[intents.indexOf("status")]).isEqualTo("succeeded");
        assertThat(intent.values()[intents.indexOf("created")])
                .isEqualTo(OffsetDateTime.parse("2024-11-28T13:37:30Z"));
    }

    @Test
    void stripeDeletionsAreTombstonesLikeTheReadmeTeaches() throws Exception {
        CompiledMapping customers = shipped.find("stripe/customers").orElseThrow().compile();
        assertThat(customers.definition().deleteWhen()).isEqualTo("type = 'customer.deleted'");
        assertThat(customers.definition().columns()).doesNotContainKey("deleted");
        CompiledMapping.Row deleted = customers.apply(stripe("customer.deleted.json"), Map.of()).get(0);
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.values()[customers.indexOf("id")]).isEqualTo("cus_QhooksyncDemo01");
        assertThat(deleted.values()[customers.indexOf("event_created")]).isEqualTo(1732802000L);

        CompiledMapping invoices = shipped.find("stripe/invoices").orElseThrow().compile();
        assertThat(invoices.apply(stripe("invoice.deleted.json"), Map.of())).singleElement()
                .satisfies(row -> assertThat(row.deleted()).isTrue());
        assertThat(invoices.apply(stripe("invoice.paid.json"), Map.of())).singleElement()
                .satisfies(row -> assertThat(row.deleted()).isFalse());
    }

    @Test
    void anUpcomingInvoiceHasNoIdYetAndIsNoRow() throws Exception {
        CompiledMapping invoices = shipped.find("stripe/invoices").orElseThrow().compile();
        assertThat(invoices.apply(stripe("invoice.upcoming.json"), Map.of())).isEmpty();
    }

    @Test
    void stripeCustomerRouteEventsAboutOtherObjectsAreNoCustomerRows() throws Exception {
        CompiledMapping customers = shipped.find("stripe/customers").orElseThrow().compile();
        assertThat(customers.apply(stripe("customer.subscription.created.json"), Map.of())).isEmpty();
    }

    @Test
    void aValueOfTheWrongTypeIsAMappingError() {
        Mapping m = new Mapping("t", "t.yaml", "t", List.of("id"),
                Map.of("id", new Mapping.Column("id", "id", ColumnType.BIGINT)), null, null, null, null, null);
        assertThatThrownBy(() -> m.compile().apply(Map.of("id", "not-a-number"), Map.of()))
                .isInstanceOf(MappingException.class).hasMessageContaining("column id").hasMessageContaining("bigint");
    }

    @Test
    void aNullKeyIsAMappingError() {
        Mapping m = new Mapping("t", "t.yaml", "t", List.of("id"),
                Map.of("id", new Mapping.Column("id", "missing", ColumnType.TEXT)), null, null, null, null, null);
        assertThatThrownBy(() -> m.compile().apply(Map.of("id", "x"), Map.of()))
                .isInstanceOf(MappingException.class).hasMessageContaining("key column id");
    }

    @Test
    void filterExcludesEvents() throws Exception {
        Mapping m = new Mapping("t", "t.yaml", "t", List.of("id"),
                Map.of("id", new Mapping.Column("id", "id", ColumnType.TEXT)), null, "kind = 'keep'", null, null, null);
        assertThat(m.compile().apply(Map.of("id", "1", "kind", "drop"), Map.of())).isEmpty();
        assertThat(m.compile().apply(Map.of("id", "1", "kind", "keep"), Map.of())).hasSize(1);
    }

    @Test
    void aRunawayExpressionIsAMappingErrorNamingTheBound() {
        ExpressionBounds bounds = new ExpressionBounds(Duration.ofMillis(100), 50);
        Mapping looping = new Mapping("t", "t.yaml", "t", List.of("id"),
                Map.of("id", new Mapping.Column("id", "$string($sum([1..100000].($sum([1..100000]))))", ColumnType.TEXT)),
                null, null, null, null, null);
        assertThatThrownBy(() -> looping.compile(bounds).apply(Map.of("id", "x"), Map.of()))
                .isInstanceOf(MappingException.class).hasMessage("column id: the expression ran longer than 100 ms");
        Mapping recursing = new Mapping("t", "t.yaml", "t", List.of("id"),
                Map.of("id", new Mapping.Column("id", "id", ColumnType.TEXT)), null,
                "($f := function($x){ 1 + $f($x) }; $f(1)) > 0", null, null, null);
        assertThatThrownBy(() -> recursing.compile(bounds).apply(Map.of("id", "x"), Map.of()))
                .isInstanceOf(MappingException.class).hasMessage("filter: the expression nested deeper than 50 levels");
        ExpressionBounds deepStack = new ExpressionBounds(Duration.ofSeconds(30), 10_000_000);
        assertThatThrownBy(() -> recursing.compile(deepStack).apply(Map.of("id", "x"), Map.of()))
                .isInstanceOf(MappingException.class)
                .hasMessage("filter: the expression recursed until the stack overflowed");
    }

    @Test
    void plainNamePathsSkipJsonataAndItsBoundsWhileTheRestIsBoundedWithBindings() throws Exception {
        ExpressionBounds tight = new ExpressionBounds(Duration.ofMillis(100), 3);
        Mapping m = new Mapping("t", "t.yaml", "t", List.of("id"),
                Map.of("id", new Mapping.Column("id", "issue.id", ColumnType.TEXT),
                        "source", new Mapping.Column("source", "$meta.source", ColumnType.TEXT)),
                null, null, null, null, null);
        CompiledMapping.Row row = m.compile(tight).apply(Map.of("issue", Map.of("id", "7")), Map.of("source", "github"))
                .get(0);
        assertThat(row.values()[m.compile().indexOf("id")]).isEqualTo("7");
        assertThat(row.values()[m.compile().indexOf("source")]).isEqualTo("github");
    }
}
