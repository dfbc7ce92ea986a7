package io.hooksync.timeline;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService scheduler;
    private long lastBeat;

    /** One listener and the newest timeline id it has been sent. */
    private record Subscriber(SseEmitter emitter, AtomicLong cursor) {
    }

    EventStream(TimelineQueries queries) {
        this.queries = queries;
    }

    /**
     * A new listener. Its cursor is fixed before the first byte is sent, so every event recorded after
     * the client saw the stream open reaches it; a reconnecting {@code EventSource} sends
     * {@code Last-Event-ID} and resumes where it stopped.
     */
    SseEmitter subscribe(Long lastEventId) {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MS);
        Subscriber subscriber = new Subscriber(emitter, new AtomicLong(lastEventId != null ? lastEventId : queries.newestId()));
        emitter.onCompletion(() -> subscribers.remove(subscriber));
        emitter.onTimeout(() -> subscribers.remove(subscriber));
        emitter.onError(e -> subscribers.remove(subscriber));
        subscribers.add(subscriber);
        try {
            emitter.send(SseEmitter.event().comment("connected"));
        } catch (IOException e) {
            subscribers.remove(subscriber);
        }
        return emitter;
    }

    void poll() {
        if (subscribers.isEmpty()) {
            return;
        }
        long oldest = subscribers.stream().mapToLong(s -> s.cursor().get()).min().orElse(0);
        List<EventSummary> rows = queries.list(null, null, null, null, oldest, 200);
        for (Subscriber subscriber : subscribers) {
            for (EventSummary row : rows) {
                long id = row.id();
                if (id > subscriber.cursor().get()) {
                    send(subscriber, SseEmitter.event().name("event").id(String.valueOf(id)).data(row, MediaType.APPLICATION_JSON));
                    subscriber.cursor().set(id);
                }
            }
        }
        long now = System.currentTimeMillis();
        if (now - lastBeat > HEARTBEAT_MS) {
            lastBeat = now;
            subscribers.forEach(s -> send(s, SseEmitter.event().comment("heartbeat")));
        }
    }

    private void send(Subscriber subscriber, SseEmitter.SseEventBuilder event) {
        try {
            subscriber.emitter().send(event);
        } catch (IOException | IllegalStateException gone) {
            subscribers.remove(subscriber);
            subscriber.emitter().completeWithError(gone);
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
        subscribers.forEach(s -> s.emitter().complete());
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
    }
}
