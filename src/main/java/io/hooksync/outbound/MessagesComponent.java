package io.hooksync.outbound;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.infra.consumer.ConsumerLoops;
import io.hooksync.infra.envelope.EventTypePatterns;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code hooksync-messages?types=invoice.paid,issue.*}: outbound messages as Camel exchanges, for
 * channels other than webhooks (email through camel-mail, RabbitMQ through spring-rabbitmq, ...). The
 * body is the Standard Webhooks JSON ({@code {type, timestamp, data}}); headers
 * {@code HooksyncMessageId} (stable, for deduplication) and {@code HooksyncMessageType}. At least once:
 * a message's offset is committed after its exchange completed. A failed exchange is retried with
 * backoff: without limit while its peer is unreachable (connection refused, timeout), up to
 * {@code hooksync.consumers.max-attempts} times for another error, after which the message is set
 * aside (table {@code hooksync_set_aside}, the dashboard) and the route goes on; a message that cannot
 * be read (bad {@code ce_time}) is set aside at once. Add an {@code onException} with
 * {@code handled: true} to a route to drop failed messages instead.
 */
final class MessagesComponent extends DefaultComponent {

    private final KafkaBackbone backbone;
    private final ConsumerLoops loops;
    private final ObjectMapper json;
    private final Instant engineStarted;

    /** {@code engineStarted}: when the application context began to start (a new route's group starts there). */
    MessagesComponent(KafkaBackbone backbone, ConsumerLoops loops, ObjectMapper json, Instant engineStarted) {
        this.backbone = backbone;
        this.loops = loops;
        this.json = json;
        this.engineStarted = engineStarted;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        Object types = parameters.remove("types");
        if (types == null || types.toString().isBlank()) {
            throw new IllegalArgumentException(uri + " needs the parameter types (e.g. types=invoice.paid,issue.*)");
        }
        List<String> patterns = Arrays.stream(types.toString().split(",")).map(String::trim).toList();
        for (String pattern : patterns) {
            String problem = EventTypePatterns.problem(pattern);
            if (problem != null) {
                throw new IllegalArgumentException(uri + ": " + problem);
            }
        }
        return new MessagesEndpoint(uri, this, patterns);
    }

    /** The endpoint: consumer only; each route has its own consumer group. */
    final class MessagesEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {

        private final List<String> types;

        MessagesEndpoint(String uri, MessagesComponent component, List<String> types) {
            super(uri, component);
            this.types = types;
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            return new MessagesConsumer(this, processor, backbone, loops, types, json, engineStarted);
        }

        @Override
        public boolean isMultipleConsumersSupported() {
            return true;
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("hooksync-messages is a consumer; messages come from emit in mappings");
        }
    }
}
