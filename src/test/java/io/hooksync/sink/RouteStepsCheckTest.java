package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Routes that could never apply their events are refused with their line; the usual shapes pass. */
class RouteStepsCheckTest {

    private static List<String> problems(String yaml) {
        return RouteStepsCheck.problems("routes/x.yaml", new Yaml(new LoaderOptions()).compose(new StringReader(yaml)));
    }

    @Test
    void theShippedShapesPass() {
        assertThat(problems("""
                - route:
                    id: x
                    from:
                      uri: hooksync:events
                      parameters: { source: github, types: issues, batchSize: 100 }
                      steps:
                        - to: hooksync:upsert?mapping=github/issues&emit=issue.synced
                """)).isEmpty();
        assertThat(problems("""
                - route:
                    id: x
                    from:
                      uri: "hooksync:events?source=github&mode=event&bridgeErrorHandler=true"
                      steps:
                        - choice:
                            when:
                              - simple: "${header.HooksyncEventType} == 'issues'"
                                steps:
                                  - to: hooksync:upsert?mapping=github/issues
                            otherwise:
                              steps:
                                - to: { uri: hooksync:upsert, parameters: { mapping: github/commits } }
                """)).as("alternatives are not a sequence").isEmpty();
        assertThat(problems("""
                - route:
                    id: x
                    from:
                      uri: hooksync:events?source=github
                      steps:
                        - to: direct:apply
                - route:
                    id: apply
                    from:
                      uri: direct:apply
                      steps:
                        - to: hooksync:upsert?mapping=github/issues
                """)).as("settled by the route it calls").isEmpty();
    }

    @Test
    void aMistypedParameterNamesItsLineAndTheLikelyName() {
        assertThat(problems("""
                - route:
                    id: x
                    from:
                      uri: "hooksync:events?source=acme&type=order.*"
                      parameters: { batchsize: 10 }
                      steps:
                        - to: hooksync:upsert?mapping=acme/orders&emitt=x
                        - to: hooksync:upsertt
                """)).containsExactly(
                "routes/x.yaml:4: hooksync:events has no parameter 'type' (did you mean 'types'? it takes: actions, "
                        + "batchSize, continues, mode, raw, source, start, types)",
                "routes/x.yaml:5: hooksync:events has no parameter 'batchsize' (did you mean 'batchSize'? it takes: "
                        + "actions, batchSize, continues, mode, raw, source, start, types)",
                "routes/x.yaml:7: hooksync:upsert has no parameter 'emitt' (did you mean 'emit'? it takes: emit, mapping)",
                "routes/x.yaml:8: hooksync:upsertt is not a Hooksync endpoint (known: hooksync:events, hooksync:upsert,"
                        + " hooksync:ack)");
    }

    /** The first upsert claims the events in the route's ledger: the second would find them applied and write nothing. */
    @Test
    void aSecondUpsertOnTheSamePathIsRefused() {
        assertThat(problems("""
                - route:
                    id: x
                    from:
                      uri: hooksync:events?source=acme
                      steps:
                        - to: hooksync:upsert?mapping=acme/orders
                        - filter:
                            simple: "${body.size()} > 0"
                            steps:
                              - to: hooksync:upsert?mapping=github/issues
                """)).singleElement().asString().startsWith("routes/x.yaml:7: a second hooksync:upsert");
    }

    @Test
    void aRouteThatCannotSettleOrAnUpsertWithoutEventsIsRefused() {
        assertThat(problems("""
                - route:
                    id: x
                    from:
                      uri: hooksync:events?source=acme
                      steps:
                        - log: "${body}"
                """)).singleElement().asString().startsWith("routes/x.yaml:1: this route never settles its events");
        assertThat(problems("""
                - route:
                    id: x
                    from:
                      uri: kafka:hooksync.events.acme
                      steps:
                        - to: hooksync:upsert?mapping=acme/orders
                """)).singleElement().asString().startsWith("routes/x.yaml:6: hooksync:upsert applies the batches of "
                + "hooksync:events, and this route consumes kafka:hooksync.events.acme");
    }
}
