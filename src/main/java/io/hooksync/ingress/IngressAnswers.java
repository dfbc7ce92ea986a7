package io.hooksync.ingress;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.EventSubscriptions;
import io.hooksync.infra.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes the ingress's answers and counts them: 202 with {@code {id, source, type, topic, partition, offset}},
 * or the refusal as RFC 9457 problem+json with its extra headers. A sender that went away before its answer is
 * counted as {@code connection-lost}; nothing is thrown back at the caller.
 */
@Component
class IngressAnswers {

    private static final Logger log = LoggerFactory.getLogger(IngressAnswers.class);

    private final IngressMetrics metrics;
    private final EventSubscriptions subscriptions;
    private final ObjectMapper json;

    IngressAnswers(IngressMetrics metrics, EventSubscriptions subscriptions, ObjectMapper json) {
        this.metrics = metrics;
        this.subscriptions = subscriptions;
        this.json = json;
    }

    void answer(HttpServletRequest request, HttpServletResponse response, Source source,
                IngressPipeline.Outcome outcome, long started) {
        if (outcome instanceof IngressPipeline.Accepted accepted) {
            accepted(response, accepted.event(), accepted.metadata(), started);
        } else if (outcome instanceof IngressPipeline.Refused refused) {
            refuse(request, response, source, refused.rejection(), started, false);
        }
    }

    void refuse(HttpServletRequest request, HttpServletResponse response, Source source, Rejection rejection,
                long started, boolean close) {
        String name = source == null ? null : source.name();
        metrics.rejected(name == null ? "unknown" : name, rejection.reason(), elapsed(started));
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(rejection.status());
        rejection.headers().forEach(response::setHeader);
        if (close) {
            response.setHeader("Connection", "close");   // do not read on what we refused
        }
        write(response, Problems.MEDIA_TYPE,
                Problems.body(rejection, ProblemResponses.echoable(request.getRequestURI()), name));
    }

    void broken(Source source, long started) {
        metrics.rejected(source.name(), "connection-lost", elapsed(started));
    }

    private void accepted(HttpServletResponse response, VerifiedEvent event, RecordMetadata meta, long started) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", event.id());
        answer.put("source", event.source().name());
        answer.put("type", event.type());
        answer.put("topic", meta.topic());
        answer.put("partition", meta.partition());
        answer.put("offset", meta.offset());
        response.setStatus(202);
        try {
            write(response, "application/json", json.writeValueAsBytes(answer));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        metrics.accepted(event.source().name(), elapsed(started));
        if (!subscriptions.anyConsumes(event.source().name(), event.type(), event.action())) {
            metrics.unrouted(event.source().name());
            log.debug("Event {} ({}) of source {} is consumed by no route; it stays on Kafka", event.id(),
                    event.type(), event.source().name());
        }
    }

    private static void write(HttpServletResponse response, String contentType, byte[] body) {
        response.setContentType(contentType);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IOException e) {
            log.debug("Ingress answer not delivered: {}", e.toString());
        }
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
