package io.hooksync.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The projected parse, with plain name paths read by walking the payload, must give exactly the rows
 * (or the error) of the whole parse evaluated by JSONata alone, for every shipped mapping on every
 * fixture, and for expressions that reach into arrays, objects used whole, scalars and missing fields.
 * Expressions the analysis cannot prove must fall back to the whole payload.
 */
class PayloadReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> META = Map.of("id", "d-1", "source", "github", "type", "issues");

    private static List<byte[]> fixtures() throws IOException {
        List<byte[]> payloads = new ArrayList<>();
        for (String dir : List.of("github", "stripe")) {
            try (Stream<Path> files = Files.list(Path.of("src/test/resources/fixtures", dir))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    payloads.add(Files.readAllBytes(file));
                }
            }
        }
        assertThat(payloads).hasSizeGreaterThanOrEqualTo(10);
        // edge cases: fields missing, null, of another type, arrays of scalars and of empty objects
        for (String extra : List.of("{}", "{\"issue\": null, \"commits\": null}",
                "{\"issue\": {\"labels\": [\"bug\", {\"name\": 1}, {}, [{\"name\": \"deep\"}], null], \"user\": \"x\"},"
                        + " \"action\": \"deleted\", \"commits\": [{}, \"s\", {\"id\": \"a\", \"author\": null}]}",
                "{\"data\": {\"object\": [{\"id\": \"x\", \"created\": 1}, {\"id\": \"y\"}]}, \"created\": 5}",
                "{\"pull_request\": {\"id\": 7, \"merged\": true, \"head\": {\"ref\": {\"deep\": 1}}}}")) {
            payloads.add(extra.getBytes(StandardCharsets.UTF_8));
        }
        return payloads;
    }

    @Test
    void everyShippedMappingProjectsAndGivesTheRowsOfTheWholePayload() throws Exception {
        Mappings shipped = Mappings.load(Path.of("mappings"));
        assertThat(shipped.all()).hasSizeGreaterThanOrEqualTo(6);
        for (Mapping mapping : shipped.all()) {
            CompiledMapping compiled = mapping.compile();
            if (!mapping.name().startsWith("cdc/")) {
                // CDC envelopes are small, and cdc/customers picks `after` or `before` as a whole: whole parse
                assertThat(compiled.readFields()).as(mapping.name()).isNotEqualTo("*");
            }
            assertSameOutcome(compiled, new CompiledMapping(mapping, false));
        }
    }

    @Test
    void plainPathColumnsSkipJsonata() {
        Mappings shipped = Mappings.load(Path.of("mappings"));
        assertThat(shipped.find("github/issues").orElseThrow().compile().plainPathColumns())
                .as("all columns but labels ($join)").isEqualTo(7);
        assertThat(shipped.find("stripe/customers").orElseThrow().compile().plainPathColumns())
                .as("all columns").isEqualTo(5);
        assertThat(single("issue.number[]", null).plainPathColumns()).as("[] keeps arrays: JSONata").isZero();
    }

    @Test
    void issuesMappingReadsOnlyTheFieldsItNames() {
        CompiledMapping issues = Mappings.load(Path.of("mappings")).find("github/issues").orElseThrow().compile();
        assertThat(issues.readFields()).isEqualTo(
                "{action, issue{id, number, title, state, user{login}, labels{name}, updated_at}, repository{full_name}}");
    }

    @Test
    void pushMappingReadsEachCommitsFieldsAndTheEventsFields() {
        CompiledMapping commits = Mappings.load(Path.of("mappings")).find("github/commits").orElseThrow().compile();
        assertThat(commits.readFields()).isEqualTo(
                "{commits{id, message, author{name}, timestamp}, repository{full_name}, ref, pusher{name}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "$count(issue.labels)", "issue.user", "$string(issue.user)", "issue.labels", "$exists(issue.milestone)",
            "$join(issue.labels.name, ',') & '|' & $string($count(issue.labels.name))", "$meta.type",
            "action = 'deleted' ? issue.number : -issue.number", "[issue.id, issue.user.login]", "$.issue.title",
            "$$.issue.title", "$event.issue.title", "$meta.id & issue.title", "(issue.title; issue.state)",
            "$substring(issue.title, 1, 3)", "$uppercase(issue.title)", "issue.labels.name in ['bug']",
            "$type(issue.user.login)", "data.object.id", "data.object.created", "$sum(data.object.created)",
            "pull_request.head.ref", "$not(pull_request.merged)", "$string($number(issue.number) + 1)",
            "issue.number[]", "issue.user.login[]", "issue.labels.name", "issue.title.x", "issue.user.login.x",
            "issue.nothing.deeper", "issue.id", "pull_request.merged", "commits.author", "data.object.created[]"})
    void expressionsGiveTheSameValueOnTheProjectedPayload(String expr) throws Exception {
        CompiledMapping mapping = single(expr, null);
        assertThat(mapping.readFields()).isNotEqualTo("*");
        assertSameOutcome(mapping, singleJsonata(expr, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "$", "$string()", "$uppercase()", "author.name & $string($)", "$substring(id, 1)",
            "$event.ref & ':' & message", "$count($)", "name"})
    void rowsItemsKeepTheirCountAndTheirReadFields(String expr) throws Exception {
        for (String rows : List.of("commits", "issue.labels", "$event.data.object")) {
            assertSameOutcome(single(expr, rows), singleJsonata(expr, rows));
        }
    }

    @Test
    void rowsItemReadWholeWhenTheContextIsUsed() {
        assertThat(single("$string()", "commits").readFields()).isEqualTo("{commits}");
        assertThat(single("$substring(id, 1)", "commits").readFields()).isEqualTo("{commits}");
        assertThat(single("$substring(id, 1, 2)", "commits").readFields()).isEqualTo("{commits{id}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$", "$string()", "$keys($)", "issue.*", "**.id", "issue.labels[name = 'bug'].id",
            "$lookup($, 'action')", "$lookup(issue, action)", "$sift(issue, function($v) {true})", "$each($, function($v) {$v})",
            "$spread(issue)", "$x := issue.id", "issue.user.%.id", "$event", "issue.$uppercase(title)", "issue ~> $keys()",
            "$number()", "$substring(1)", "issue{title: id}", "{'a': issue.id}", "issue^(id)", "issue#$i.id", "issue@$u.id",
            "$unknownFunction(issue.id)", "$join(issue.labels.name, ',', 'x')", "$foo", "issue.labels.(name)",
            "issue[0]", "issue.labels.name[0]", "issue.labels.name[0].x", "$meta.id.$uppercase()", "$string(issue.id) ~> $uppercase()", "issue.title ? $ : 1",
            "$boolean()", "$not()", "$eval('issue')", "$length()", "$match(issue.title, /x/)"})
    void expressionsTheAnalysisCannotProveReadTheWholePayload(String expr) {
        assertThat(single(expr, null).readFields()).as(expr).isEqualTo("*");
    }

    @Test
    void aPayloadThatIsNotAnObjectFailsAsWithoutProjection() {
        CompiledMapping mapping = single("issue.id", null);
        CompiledMapping whole = single("$", null);
        List<byte[]> payloads = new ArrayList<>();
        for (String bad : List.of("[1, 2]", "\"text\"", "{\"issue\": ", "not json", "{\"issue\": {\"id\": 1}, \"x\": \"a\\q\"}",
                "{\"issue\": {\"id\": 1}, \"x\": [1, }")) {
            payloads.add(bad.getBytes(StandardCharsets.UTF_8));
        }
        // invalid UTF-8 inside a property no expression reads
        payloads.add(new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xC3, '(', '"', '}'});
        for (byte[] payload : payloads) {
            String bad = new String(payload, StandardCharsets.ISO_8859_1);
            Throwable projected = catchAny(() -> mapping.read(payload));
            Throwable plain = catchAny(() -> whole.read(payload));
            assertThat(projected).as(bad).isNotNull().hasSameClassAs(plain).hasMessage(plain.getMessage());
        }
    }

    private static CompiledMapping single(String expr, String rows) {
        return singleMapping(expr, rows).compile();
    }

    /** The same mapping with every column evaluated by JSONata (no plain-path walk). */
    private static CompiledMapping singleJsonata(String expr, String rows) {
        return new CompiledMapping(singleMapping(expr, rows), false);
    }

    private static Mapping singleMapping(String expr, String rows) {
        Map<String, Mapping.Column> columns = new LinkedHashMap<>();
        columns.put("k", new Mapping.Column("k", "1", ColumnType.INTEGER));
        columns.put("v", new Mapping.Column("v", expr, ColumnType.JSON));
        return new Mapping("test", "test.yaml", "t", List.of("k"), columns, null, null, null, rows, null);
    }

    /** Same rows (values and delete flag) or the same mapping error, projected vs whole, on every fixture. */
    private static void assertSameOutcome(CompiledMapping projected, CompiledMapping whole) throws Exception {
        for (byte[] payload : fixtures()) {
            String label = projected.definition().name() + " " + projected.readFields() + " on "
                    + new String(payload, 0, Math.min(80, payload.length), StandardCharsets.UTF_8);
            Object expected = outcome(whole, JSON.readValue(payload, Map.class));
            Object actual = outcome(projected, projected.read(payload));
            assertThat(actual).as(label).isEqualTo(expected);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object outcome(CompiledMapping mapping, Map<?, ?> payload) {
        try {
            List<String> rows = new ArrayList<>();
            for (CompiledMapping.Row row : mapping.apply((Map<String, Object>) payload, META)) {
                rows.add(Arrays.deepToString(row.values()) + (row.deleted() ? " deleted" : ""));
            }
            return rows;
        } catch (MappingException e) {
            return "error: " + e.getMessage();
        }
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static Throwable catchAny(Call call) {
        try {
            call.run();
            return null;
        } catch (Exception e) {
            return e;
        }
    }
}
