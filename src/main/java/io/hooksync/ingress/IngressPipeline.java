package io.hooksync.ingress;

import java.util.function.Consumer;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Hands a bounded, fully read request to the Camel route {@value IngressRoute#ROUTE_ID} without waiting for it,
 * and turns the finished exchange into an {@link Outcome}. The outcome is delivered on whichever thread finished
 * the exchange: the caller's for a refusal, the Kafka producer's I/O thread for an acknowledgement.
 */
@Component
class IngressPipeline implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(IngressPipeline.class);

    private final CamelContext camel;
    private final EventPublisher publisher;
    private volatile AsyncProducer producer;

    IngressPipeline(CamelContext camel, EventPublisher publisher) {
        this.camel = camel;
        this.publisher = publisher;
    }

    /** What became of a request: accepted with its Kafka position, or refused with a problem. */
    sealed interface Outcome {
    }

    record Accepted(VerifiedEvent event, RecordMetadata metadata) implements Outcome {
    }

    record Refused(Rejection rejection) implements Outcome {
    }

    /** True while the ingress route runs: before the engine started, and while it stops, webhooks get 503. */
    boolean running() {
        return camel.getStatus() == ServiceStatus.Started
                && camel.getRouteController().getRouteStatus(IngressRoute.ROUTE_ID) == ServiceStatus.Started;
    }

    void submit(Source source, String method, String contentType, UnverifiedRequest request, Consumer<Outcome> done) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(IngressRoute.SOURCE, source);
        exchange.setProperty(IngressRoute.METHOD, method);
        exchange.setProperty(IngressRoute.CONTENT_TYPE, contentType);
        exchange.getIn().setBody(request);
        try {
            producer().process(exchange, doneSync -> done.accept(outcome(exchange)));
        } catch (RuntimeException e) {
            exchange.setException(e);
            done.accept(outcome(exchange));
        }
    }

    private Outcome outcome(Exchange exchange) {
        Exception failure = exchange.getException();
        VerifiedEvent event = exchange.getProperty(IngressRoute.EVENT, VerifiedEvent.class);
        if (failure == null) {
            return new Accepted(event, exchange.getProperty(IngressRoute.METADATA, RecordMetadata.class));
        }
        if (failure instanceof Rejection rejection) {
            return new Refused(rejection);
        }
        if (event != null) {
            log.warn("Kafka did not acknowledge event {} of source {}: {}", event.id(), event.source().name(),
                    failure.toString());
            return new Refused(Rejection.unavailable("Kafka did not acknowledge the event within "
                    + publisher.ackTimeout().toSeconds() + " s; nothing was accepted, send it again later"));
        }
        log.error("Unexpected ingress failure", failure);
        return new Refused(new Rejection(500, "internal-error", "Internal error", "the request could not be processed"));
    }

    private AsyncProducer producer() {
        AsyncProducer p = producer;
        if (p == null) {
            synchronized (this) {
                p = producer;
                if (p == null) {
                    try {
                        p = camel.getEndpoint(IngressRoute.ENDPOINT).createAsyncProducer();
                    } catch (Exception e) {
                        throw new IllegalStateException("the ingress route's endpoint is not available", e);
                    }
                    ServiceHelper.startService(p);
                    producer = p;
                }
            }
        }
        return p;
    }

    @Override
    public void destroy() {
        ServiceHelper.stopService(producer);
    }
}
