package io.hooksync.ingress;

import io.hooksync.infra.InternalNames;
import io.hooksync.infra.TopicAdmin;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The ingress route {@value #ROUTE_ID} ({@code direct:ingress}), fed by {@link IngressFilter} with a body that was
 * already read within its bounds: {@link WebhookGate#admit} -> {@link EventPublisher#send} -> done. Publishing is
 * an asynchronous processor: the exchange completes on the producer's callback, so no thread waits for Kafka.
 * There is no error handler: a {@link Rejection} or a Kafka failure ends the exchange with its exception, which
 * {@link IngressPipeline} turns into the answer.
 */
@Component
class IngressRoute extends RouteBuilder {

    static final String ROUTE_ID = InternalNames.INGRESS_ROUTE;
    static final String ENDPOINT = "direct:ingress";
    static final String SOURCE = "hooksync.source";
    static final String EVENT = "hooksync.event";
    static final String METADATA = "hooksync.recordMetadata";
    static final String METHOD = "hooksync.method";
    static final String CONTENT_TYPE = "hooksync.contentType";
    private static final Logger log = LoggerFactory.getLogger(IngressRoute.class);

    private final SourceRegistry sources;
    private final WebhookGate gate;
    private final EventPublisher publisher;
    private final TopicAdmin topics;

    IngressRoute(SourceRegistry sources, WebhookGate gate, EventPublisher publisher, TopicAdmin topics) {
        this.sources = sources;
        this.gate = gate;
        this.publisher = publisher;
        this.topics = topics;
    }

    @Override
    public void configure() {
        for (Source source : sources.all()) {
            try {
                topics.ensureEventTopic(source.topic());
                publisher.warmUp(source.topic());
            } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
                log.warn("Topic {} of source {} could not be created now ({}); webhooks get 503 until Kafka is back",
                        source.topic(), source.name(), e.getMessage());
            }
        }
        from(ENDPOINT)
                .routeId(ROUTE_ID)
                .errorHandler(noErrorHandler())
                .process(this::admit)
                .process(publish());
    }

    private void admit(Exchange exchange) throws Rejection {
        Source source = exchange.getProperty(SOURCE, Source.class);
        VerifiedEvent event = gate.admit(source, exchange.getProperty(METHOD, String.class),
                exchange.getProperty(CONTENT_TYPE, String.class), exchange.getIn().getBody(UnverifiedRequest.class));
        exchange.setProperty(EVENT, event);
    }

    private AsyncProcessor publish() {
        return new AsyncProcessorSupport() {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                publisher.send(exchange.getProperty(EVENT, VerifiedEvent.class), (metadata, failure) -> {
                    if (failure != null) {
                        exchange.setException(failure);
                    } else {
                        exchange.setProperty(METADATA, metadata);
                    }
                    callback.done(false);
                });
                return false;
            }
        };
    }
}
