package io.hooksync.infra.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The one event-type language: what routes and endpoints mean by exact names, prefix wildcards and {@code *}. */
class EventTypePatternsTest {

    @Test
    void exactPrefixAndAll() {
        assertThat(EventTypePatterns.matchesMessage(List.of("invoice.paid"), "invoice.paid")).isTrue();
        assertThat(EventTypePatterns.matchesMessage(List.of("invoice.paid"), "invoice.paid.late")).isFalse();
        assertThat(EventTypePatterns.matchesMessage(List.of("issue.*"), "issue.synced")).isTrue();
        assertThat(EventTypePatterns.matchesMessage(List.of("issue.*"), "issue.comment.created")).isTrue();
        assertThat(EventTypePatterns.matchesMessage(List.of("issue.*"), "issues.synced")).isFalse();
        assertThat(EventTypePatterns.matchesMessage(List.of("*"), "customer.created")).isTrue();
    }

    @Test
    void operationalEventsOnlyWhenNamed() {
        assertThat(EventTypePatterns.matchesMessage(List.of("*"), "endpoint.disabled")).isFalse();
        assertThat(EventTypePatterns.matchesMessage(List.of("*", "endpoint.*"), "endpoint.disabled")).isTrue();
        assertThat(EventTypePatterns.matchesMessage(List.of("message.attempt.exhausted"), "message.attempt.exhausted")).isTrue();
    }

    @Test
    void validation() {
        assertThat(EventTypePatterns.problem("issue.synced")).isNull();
        assertThat(EventTypePatterns.problem("issue.*")).isNull();
        assertThat(EventTypePatterns.problem("*")).isNull();
        assertThat(EventTypePatterns.problem("")).contains("empty");
        assertThat(EventTypePatterns.problem("issue.*.x")).contains("not an event type");
        assertThat(EventTypePatterns.problem("a b")).contains("not an event type");
    }

    @Test
    void onInboundEventsStarMatchesEveryTypeAndAnEmptyListAllEvents() {
        assertThat(EventTypePatterns.matchesEvent(List.of("*"), "message.created")).isTrue();
        assertThat(EventTypePatterns.matchesEvent(List.of("*"), "endpoint.disabled")).isTrue();
        assertThat(EventTypePatterns.matchesEvent(List.of("customer.*"), "customer.subscription.created")).isTrue();
        assertThat(EventTypePatterns.matchesEvent(List.of("customer.*"), "customer")).isFalse();
        assertThat(EventTypePatterns.matchesEvent(List.of("issues"), null)).isFalse();
        assertThat(EventTypePatterns.matchesEvent(List.of(), "anything")).isTrue();
    }

    @Test
    void aListIsSplitAtCommasAndEveryPatternChecked() {
        assertThat(EventTypePatterns.parse(" issues, customer.* ,")).containsExactly("issues", "customer.*");
        assertThat(EventTypePatterns.parse(null)).isEmpty();
        assertThatThrownBy(() -> EventTypePatterns.parse("issues, orders/create"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'orders/create' is not an event type");
        assertThatThrownBy(() -> EventTypePatterns.parse("x".repeat(201)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 200");
    }
}
