package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class EventTypesTest {

    @Test
    void exactPrefixAndAll() {
        assertThat(EventTypes.matches(List.of("invoice.paid"), "invoice.paid")).isTrue();
        assertThat(EventTypes.matches(List.of("invoice.paid"), "invoice.paid.late")).isFalse();
        assertThat(EventTypes.matches(List.of("issue.*"), "issue.synced")).isTrue();
        assertThat(EventTypes.matches(List.of("issue.*"), "issue.comment.created")).isTrue();
        assertThat(EventTypes.matches(List.of("issue.*"), "issues.synced")).isFalse();
        assertThat(EventTypes.matches(List.of("*"), "customer.created")).isTrue();
    }

    @Test
    void operationalEventsOnlyWhenNamed() {
        assertThat(EventTypes.matches(List.of("*"), "endpoint.disabled")).isFalse();
        assertThat(EventTypes.matches(List.of("*", "endpoint.*"), "endpoint.disabled")).isTrue();
        assertThat(EventTypes.matches(List.of("message.attempt.exhausted"), "message.attempt.exhausted")).isTrue();
    }

    @Test
    void validation() {
        assertThat(EventTypes.problem("issue.synced")).isNull();
        assertThat(EventTypes.problem("issue.*")).isNull();
        assertThat(EventTypes.problem("*")).isNull();
        assertThat(EventTypes.problem("")).contains("empty");
        assertThat(EventTypes.problem("issue.*.x")).contains("not an event type");
        assertThat(EventTypes.problem("a b")).contains("not an event type");
    }
}
