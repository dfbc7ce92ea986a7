package io.hooksync.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which outbound event type an applied event emits: one type for all ({@code emit=issue.synced}) or one
 * per action ({@code emit=create:customer.created,update:customer.updated,delete:customer.deleted};
 * an action not listed emits nothing). The per-action form lets one route, one consumer and one ledger
 * key keep a table's changes in order while emitting created/updated/deleted events (CDC).
 */
record EmitChoice(String fixed, Map<String, String> byAction) {

    static final EmitChoice NONE = new EmitChoice(null, Map.of());

    static EmitChoice parse(String emit) {
        if (emit == null || emit.isBlank()) {
            return NONE;
        }
        if (!emit.contains(":")) {
            return new EmitChoice(emit.trim(), Map.of());
        }
        Map<String, String> byAction = new LinkedHashMap<>();
        for (String pair : emit.split(",")) {
            String[] parts = pair.split(":", 2);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("emit entry '" + pair.trim()
                        + "' is not action:event.type (e.g. emit=create:customer.created,delete:customer.deleted)");
            }
            byAction.put(parts[0].trim(), parts[1].trim());
        }
        return new EmitChoice(null, Map.copyOf(byAction));
    }

    boolean perAction() {
        return !byAction.isEmpty();
    }

    String typeFor(String action) {
        return perAction() ? byAction.get(action) : fixed;
    }

    /** Consecutive events that emit the same type, in batch order (one transaction each). */
    List<List<InboundEvent>> runs(List<InboundEvent> batch) {
        List<List<InboundEvent>> runs = new ArrayList<>();
        List<InboundEvent> current = null;
        String currentType = null;
        for (InboundEvent event : batch) {
            String type = typeFor(event.action());
            if (current == null || !java.util.Objects.equals(type, currentType)) {
                current = new ArrayList<>();
                runs.add(current);
                currentType = type;
            }
            current.add(event);
        }
        return runs;
    }
}
