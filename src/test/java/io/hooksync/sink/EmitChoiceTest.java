package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** emit=type for all events, or emit=action:type,... per action, applied as ordered runs. */
class EmitChoiceTest {

    private static InboundEvent event(String id, String action) {
        return new InboundEvent("crm", id, "public.customers", action, null, "t", 0, 0, null, Map.of(), new byte[0]);
    }

    @Test
    void aPlainTypeIsEmittedForEveryEvent() {
        EmitChoice choice = EmitChoice.parse("issue.synced");
        assertThat(choice.perAction()).isFalse();
        assertThat(choice.typeFor("deleted")).isEqualTo("issue.synced");
        assertThat(EmitChoice.parse(null)).isSameAs(EmitChoice.NONE);
    }

    @Test
    void perActionTypesSplitTheBatchIntoOrderedRuns() {
        EmitChoice choice = EmitChoice.parse("create:customer.created, update:customer.updated,delete:customer.deleted");
        List<List<InboundEvent>> runs = choice.runs(List.of(event("1", "create"), event("2", "create"),
                event("3", "update"), event("4", "truncate"), event("5", "create")));
        assertThat(runs).extracting(run -> run.stream().map(InboundEvent::id).toList())
                .containsExactly(List.of("1", "2"), List.of("3"), List.of("4"), List.of("5"));
        assertThat(choice.typeFor("update")).isEqualTo("customer.updated");
        assertThat(choice.typeFor("truncate")).as("an action not listed emits nothing").isNull();
    }

    @Test
    void aMalformedEntryIsRefused() {
        assertThatThrownBy(() -> EmitChoice.parse("create:customer.created,:x"))
                .hasMessageContaining("is not action:event.type");
    }
}
