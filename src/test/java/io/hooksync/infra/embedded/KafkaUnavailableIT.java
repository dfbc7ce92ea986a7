package io.hooksync.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.infra.KafkaBackbone;
import io.hooksync.support.Http;
import io.hooksync.support.Signing;
import io.hooksync.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** When Kafka does not acknowledge in bounded time, the sender gets 503 with Retry-After, not a hang or a 202. */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=kafka-down-secret",
        "STRIPE_WEBHOOK_SECRET=whsec_kafka_down",
        "hooksync.kafka.ack-timeout=3s",
})
class KafkaUnavailableIT {

    private static final Path DATA = TestData.directory("kafka-down");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestData.embedded(registry, DATA);
    }

    @LocalServerPort
    int port;

    @Autowired
    KafkaBackbone backbone;

    @Test
    void aStoppedBrokerGives503WithinTheAckTimeout() throws Exception {
        byte[] body = "{\"action\":\"opened\",\"issue\":{\"id\":1}}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("Content-Type", "application/json", "X-GitHub-Event", "issues",
                "X-GitHub-Delivery", "d-1", "X-Hub-Signature-256", Signing.github("kafka-down-secret", body));
        assertThat(Http.post("http://127.0.0.1:" + port + "/webhooks/github", body, headers).statusCode()).isEqualTo(202);

        ((EmbeddedKafkaBroker) backbone).close();
        long started = System.nanoTime();
        HttpResponse<String> response = Http.post("http://127.0.0.1:" + port + "/webhooks/github", body, headers);
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        JsonNode problem = new ObjectMapper().readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo("urn:hooksync:problem:kafka-unavailable");
        assertThat(seconds).as("bounded by the 3 s ack timeout (plus slack for a loaded machine)").isLessThan(10);
    }
}
