package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jsonata.JsonataComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route's {@code jsonata:} step gets the mappings' bounds through Camel's JSONata component (the frame binding
 * {@code camel.component.jsonata.frame-binding} points to): a runaway recursion fails the exchange, a plain
 * expression still answers.
 */
class JsonataBoundsTest {

    @TempDir
    Path dir;

    @Test
    void aRunawayExpressionInAJsonataStepFailsItsExchange() throws Exception {
        SinkSettings settings = new SinkSettings(500, 2, 3, Duration.ofSeconds(30), Duration.ofMillis(500), 50);
        JsonataComponent jsonata = new JsonataComponent();
        jsonata.setFrameBinding(new SinkConfiguration().jsonataBounds(settings));
        Files.writeString(dir.resolve("runaway.jsonata"), "( $f := function($n) { $f($n + 1) }; $f(0) )");
        Files.writeString(dir.resolve("bug.jsonata"), "\"bug\" in issue.labels.name");
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("jsonata", jsonata);
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            Map<String, Object> issue = Map.of("issue", Map.of("labels", java.util.List.of(Map.of("name", "bug"))));

            assertThat(template.requestBody("jsonata:file:" + dir.resolve("bug.jsonata") + "?outputType=JsonString",
                    issue, String.class)).isEqualTo("true");
            // unbounded, this expression never returns (dashjoin runs the tail call as a loop): fail instead of hanging
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> template.requestBody(
                    "jsonata:file:" + dir.resolve("runaway.jsonata"), issue)).isInstanceOf(CamelExecutionException.class)
                    .rootCause().hasMessageMatching("(?s).*(timeout|depth).*"));
        }
    }
}
