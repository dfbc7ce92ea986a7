package io.hooksync.ingress;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.EventSubscriptions;
import io.hooksync.infra.TopicAdmin;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The ingress route: {@code POST /webhooks/{source}} -> {@link WebhookGate} -> {@link EventPublisher}
 * (acks=all, idempotent, waits for the ack) -> 202. Any refusal or Kafka failure becomes a problem
 * response; nothing is written for it.
 */
@Component
class IngressRoute extends RouteBuilder {

    static final String ROUTE_ID = "ingress";
    private static final Logger log = LoggerFactory.getLogger(IngressRoute.class);
    private static final String EVENT = "hooksync.event";
    private static final String METADATA = "hooksync.recordMetadata";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SourceRegistry sources;
    private final WebhookGate gate;
    private final IngressMetrics metrics;
    private final String basePath;
    private final EventPublisher publisher;
    private final TopicAdmin topics;
    private final EventSubscriptions subscriptions;

    IngressRoute(SourceRegistry sources, WebhookGate gate, IngressMetrics metrics, IngressProperties properties,
                 EventPublisher publisher, TopicAdmin topics, EventSubscriptions subscriptions) {
        this.subscriptions = subscriptions;
        this.sources = sources;
        this.gate = gate;
        this.metrics = metrics;
        this.basePath = properties.ingress().path();
        this.publisher = publisher;
        this.topics = topics;
    }

    @Override
    public void configure() {
        for (Source source : sources.all()) {
            try {
                topics.ensureTopic(source.topic());
            } catch (IllegalStateException e) {
                log.warn("Topic {} of source {} could not be created now ({}); webhooks get 503 until Kafka is back",
                        source.topic(), source.name(), e.getMessage());
            }
        }
        onException(Exception.class).handled(true).process(this::refused);

        from("platform-http:" + basePath + "/{source}?populateBodyWithForm=false")
                .routeId(ROUTE_ID)
                .process(this::admit)
                .process(this::publish)
                .process(this::accepted);
    }

    /** The source name in {@code /webhooks/<name>}, or null. */
    static String sourceName(String uri, String prefix) {
        if (uri == null || !uri.startsWith(prefix)) {
            return null;
        }
        String rest = uri.substring(prefix.length());
        return rest.isEmpty() || rest.indexOf('/') >= 0 ? null : rest;
    }

    private void admit(Exchange exchange) throws Rejection {
        Message in = exchange.getIn();
        String name = sourceName(in.getHeader(Exchange.HTTP_URI, String.class), basePath + "/");
        Source source = sources.find(name).orElseThrow(() -> Rejection.unknownSource(name));
        byte[] body = in.getBody(byte[].class);
        UnverifiedRequest request = new UnverifiedRequest(source.name(), lowerCaseHeaders(in),
                body == null ? new byte[0] : body);
        VerifiedEvent event = gate.admit(source, in.getHeader(Exchange.HTTP_METHOD, String.class),
                in.getHeader(Exchange.CONTENT_TYPE, String.class), request);
        exchange.setProperty(EVENT, event);
    }

    private void publish(Exchange exchange) throws Exception {
        exchange.setProperty(METADATA, publisher.publish(exchange.getProperty(EVENT, VerifiedEvent.class)));
    }

    private void accepted(Exchange exchange) throws JsonProcessingException {
        VerifiedEvent event = exchange.getProperty(EVENT, VerifiedEvent.class);
        Message in = exchange.getIn();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", event.id());
        answer.put("source", event.source().name());
        answer.put("type", event.type());
        RecordMetadata meta = exchange.getProperty(METADATA, RecordMetadata.class);
        answer.put("topic", meta.topic());
        answer.put("partition", meta.partition());
        answer.put("offset", meta.offset());
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody(JSON.writeValueAsBytes(answer));
        metrics.accepted(event.source().name(), elapsed(exchange));
        if (!subscriptions.anyConsumes(event.source().name(), event.type(), event.action())) {
            metrics.unrouted(event.source().name());
            log.debug("Event {} ({}) of source {} is consumed by no route; it stays on Kafka", event.id(),
                    event.type(), event.source().name());
        }
    }

    private void refused(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        VerifiedEvent event = exchange.getProperty(EVENT, VerifiedEvent.class);
        Message in = exchange.getIn();
        String instance = in.getHeader(Exchange.HTTP_URI, String.class);
        Rejection rejection;
        if (cause instanceof Rejection r) {
            rejection = r;
        } else if (event != null) {
            log.warn("Kafka did not acknowledge event {} of source {}: {}", event.id(), event.source().name(),
                    cause.toString());
            rejection = Rejection.unavailable("Kafka did not acknowledge the event within " + publisher.ackTimeout().toSeconds()
                    + " s; nothing was accepted, send it again later");
        } else {
            log.error("Unexpected ingress failure", cause);
            rejection = new Rejection(500, "internal-error", "Internal error", "the request could not be processed");
        }
        String source = event != null ? event.source().name()
                : sources.find(sourceName(instance, basePath + "/")).map(Source::name).orElse(null);
        in.removeHeaders("*");
        rejection.headers().forEach(in::setHeader);
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, rejection.status());
        in.setHeader(Exchange.CONTENT_TYPE, Problems.MEDIA_TYPE);
        in.setBody(Problems.body(rejection, instance, source));
        metrics.rejected(source == null ? "unknown" : source, rejection.reason(), elapsed(exchange));
    }

    private static Map<String, String> lowerCaseHeaders(Message in) {
        Map<String, String> headers = new HashMap<>();
        in.getHeaders().forEach((name, value) -> {
            Object first = value instanceof List<?> list && !list.isEmpty() ? list.get(0) : value;
            if (first != null) {
                headers.put(name.toLowerCase(), first.toString());
            }
        });
        return headers;
    }

    private static Duration elapsed(Exchange exchange) {
        return Duration.ofMillis(exchange.getClock().elapsed());
    }
}
