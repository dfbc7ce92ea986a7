package io.hooksync.timeline;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events of new timeline rows. One thread polls the table every 300 ms while anyone
 * listens (and not at all otherwise); polling the database rather than hooking the recorder means a
 * browser connected to any instance sees events recorded by every instance.
 */
final class EventStream implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    private static final long TIMEOUT_MS = 30 * 60_000L;
    private static final long POLL_MS = 300;
    private static final long HEARTBEAT_MS = 15_000;

    private final TimelineQueries queries;
    private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService scheduler;
    private volatile long lastId = -1;
    private long lastBeat;

    EventStream(TimelineQueries queries) {
        this.queries = queries;
    }

    SseEmitter subscribe() {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MS);
        emitter.onCompletion(() -> emitters.remove(emitter));
        emitter.onTimeout(() -> emitters.remove(emitter));
        emitter.onError(e -> emitters.remove(emitter));
        emitters.add(emitter);
        try {
            emitter.send(SseEmitter.event().comment("connected"));
        } catch (IOException e) {
            emitters.remove(emitter);
        }
        return emitter;
    }

    void poll() {
        if (emitters.isEmpty()) {
            lastId = -1;
            return;
        }
        if (lastId < 0) {
            lastId = queries.newestId();
            return;
        }
        List<Map<String, Object>> rows = queries.list(null, null, null, null, lastId, 200);
        for (Map<String, Object> row : rows) {
            lastId = Math.max(lastId, (Long) row.get("id"));
            broadcast(SseEmitter.event().name("event").id(String.valueOf(row.get("id"))).data(row, MediaType.APPLICATION_JSON));
        }
        long now = System.currentTimeMillis();
        if (now - lastBeat > HEARTBEAT_MS) {
            lastBeat = now;
            broadcast(SseEmitter.event().comment("heartbeat"));
        }
    }

    private void broadcast(SseEmitter.SseEventBuilder event) {
        for (SseEmitter emitter : emitters) {
            try {
                emitter.send(event);
            } catch (IOException | IllegalStateException gone) {
                emitters.remove(emitter);
                emitter.completeWithError(gone);
            }
        }
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hooksync-event-stream");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                poll();
            } catch (RuntimeException e) {
                log.debug("Event stream poll failed: {}", e.toString());
            }
        }, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        emitters.forEach(SseEmitter::complete);
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
    }
}
