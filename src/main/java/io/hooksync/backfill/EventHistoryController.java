package io.hooksync.backfill;

import java.util.Map;

import io.hooksync.infra.TopicAdmin;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/event-history}: how long the event topics keep the history Backfill replays. */
@RestController
@Tag(name = "Backfill")
class EventHistoryController {

    private final TopicAdmin topics;

    EventHistoryController(TopicAdmin topics) {
        this.topics = topics;
    }

    /** The configured retention, and each event topic's retention as Kafka reports it (-1: kept forever). */
    record EventHistory(String retention, long retentionMs, long retentionDays, Map<String, Long> topicRetentionMs) {
    }

    @GetMapping("/api/event-history")
    @Operation(summary = "How long event topics keep their history (hooksync.kafka.event-retention), per topic")
    EventHistory history() {
        return new EventHistory(topics.eventRetention().toString(), topics.eventRetention().toMillis(),
                topics.eventRetention().toDays(), topics.eventTopicRetention());
    }
}
