package io.hooksync.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.hooksync.infra.BackgroundPriority;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * One HTTP POST per attempt with Apache HttpClient 5: pooled keep-alive connections, the
 * {@link AddressGuard} as DNS resolver (checked on every new connection) and as port check (before every
 * request), no redirects, no automatic retries (the schedule decides), a connect timeout and a total
 * timeout enforced by cancelling the request. Reads at most {@code bodyLimit} characters of the answer.
 */
final class HttpSender implements AutoCloseable {

    /** What the receiver answered; {@code retryAfter} only for 429 and 503. */
    record Answer(int status, String body, Duration retryAfter) {
    }

    private final AddressGuard guard;
    private final CloseableHttpClient client;
    private final PoolingHttpClientConnectionManager connections;
    private final ScheduledExecutorService timer;
    private final Duration timeout;
    private final int bodyLimit;

    HttpSender(AddressGuard guard, Duration connectTimeout, Duration timeout, int bodyLimit) {
        this.guard = guard;
        this.timeout = timeout;
        this.bodyLimit = bodyLimit;
        // not a Spring bean: an Executor bean would switch off Boot's own task executor
        this.timer = Executors.newSingleThreadScheduledExecutor(
                r -> BackgroundPriority.thread("hooksync-delivery-timeouts", r));
        this.connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(guard)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(timeout))
                        .build())
                .setMaxConnTotal(1000)
                .setMaxConnPerRoute(1000)
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(timeout))
                        .setRedirectsEnabled(false)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("Hooksync-Webhooks/1")
                .build();
    }

    /** Posts; throws on timeouts, refused addresses or ports and connection failures. */
    Answer post(String url, Map<String, String> headers, byte[] body) throws IOException {
        String port = guard.portProblem(URI.create(url));
        if (port != null) {
            throw new AddressGuard.BlockedAddressException(port);   // a URL saved before allowed-ports was set
        }
        HttpPost post = new HttpPost(url);
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        ScheduledFuture<?> deadline = timer.schedule(post::cancel, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return client.execute(post, response -> {
                int status = response.getCode();
                String text = read(response.getEntity());
                Duration retryAfter = status == 429 || status == 503 ? retryAfter(response.getFirstHeader("Retry-After")) : null;
                return new Answer(status, text, retryAfter);
            });
        } catch (UnknownHostException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // cancelled by the deadline: while it was still connecting the client throws IllegalStateException
            // ("Endpoint not acquired / already released"), not an IOException (seen on a loaded machine)
            if (post.isCancelled()) {
                throw new TotalTimeoutException("no complete answer within " + timeout.toMillis() + " ms");
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    /** The receiver did not answer completely within the total timeout. */
    static final class TotalTimeoutException extends IOException {
        TotalTimeoutException(String message) {
            super(message);
        }
    }

    private String read(HttpEntity entity) throws IOException {
        if (entity == null) {
            return "";
        }
        try (InputStream in = entity.getContent()) {
            byte[] head = in.readNBytes(bodyLimit);
            // drain the rest (bounded by the timeout) so the connection can be reused
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return new String(head, StandardCharsets.UTF_8);
        }
    }

    /** Seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(Header header) {
        if (header == null || header.getValue() == null) {
            return null;
        }
        String value = header.getValue().trim();
        try {
            return Duration.ofSeconds(Long.parseLong(value));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Duration.between(Instant.now(), at);
            } catch (RuntimeException notDate) {
                return null;
            }
        }
    }

    @Override
    public void close() throws IOException {
        timer.shutdownNow();
        client.close();
        connections.close();
    }
}
