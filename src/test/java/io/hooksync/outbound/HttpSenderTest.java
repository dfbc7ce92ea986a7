package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.hooksync.support.Receiver;
import org.junit.jupiter.api.Test;

/** The sender's guarantees on a real socket: the guard on every connection, no redirects, the total timeout. */
class HttpSenderTest {

    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theGuardRefusesLoopbackAtConnectionTimeUnlessAllowListed() throws Exception {
        try (Receiver receiver = Receiver.ok();
             HttpSender strict = new HttpSender(new AddressGuard(List.of(), false), Duration.ofSeconds(2), Duration.ofSeconds(2), 100);
             HttpSender allowing = new HttpSender(new AddressGuard(List.of("127.0.0.1/32"), false), Duration.ofSeconds(2),
                     Duration.ofSeconds(2), 100)) {
            assertThatThrownBy(() -> strict.post(receiver.url(), Map.of(), BODY))
                    .isInstanceOf(AddressGuard.BlockedAddressException.class).hasMessageContaining("loopback");
            assertThat(receiver.requests()).isEmpty();
            assertThat(allowing.post(receiver.url(), Map.of("X-Test", "1"), BODY).status()).isEqualTo(200);
            assertThat(receiver.requests()).hasSize(1);
            assertThat(receiver.requests().get(0).header("x-test")).isEqualTo("1");
        }
    }

    @Test
    void aPortOutsideAllowedPortsIsRefusedBeforeConnecting() throws Exception {
        try (Receiver receiver = Receiver.ok();
             HttpSender sender = new HttpSender(new AddressGuard(List.of("127.0.0.1/32"), List.of(443), false),
                     Duration.ofSeconds(2), Duration.ofSeconds(2), 100)) {
            assertThatThrownBy(() -> sender.post(receiver.url(), Map.of(), BODY))
                    .isInstanceOf(AddressGuard.BlockedAddressException.class)
                    .hasMessageContaining("port " + java.net.URI.create(receiver.url()).getPort() + " is not allowed");
            assertThat(receiver.requests()).isEmpty();
        }
    }

    @Test
    void redirectsAreNotFollowedAndRetryAfterIsRead() throws Exception {
        try (Receiver receiver = new Receiver(i -> i == 0
                ? new Receiver.Reply(302, Map.of("Location", "http://169.254.169.254/"), 0)
                : new Receiver.Reply(429, Map.of("Retry-After", "42"), 0));
             HttpSender sender = new HttpSender(new AddressGuard(List.of("127.0.0.1/32"), false), Duration.ofSeconds(2),
                     Duration.ofSeconds(2), 100)) {
            assertThat(sender.post(receiver.url(), Map.of(), BODY).status()).isEqualTo(302);
            HttpSender.Answer limited = sender.post(receiver.url(), Map.of(), BODY);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(42));
            assertThat(receiver.requests()).hasSize(2);
        }
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeFails() throws Exception {
        try (Receiver receiver = new Receiver(i -> new Receiver.Reply(200, Map.of(), 3_000));
             HttpSender sender = new HttpSender(new AddressGuard(List.of("127.0.0.1/32"), false), Duration.ofSeconds(1),
                     Duration.ofMillis(500), 100)) {
            assertThatThrownBy(() -> sender.post(receiver.url(), Map.of(), BODY)).isInstanceOf(java.io.IOException.class);
        }
    }
}
