package io.hooksync.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.hooksync.infra.BackgroundPriority;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.apache.hc.core5.http.nio.entity.AbstractBinAsyncEntityConsumer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP POST per attempt with Apache HttpClient 5's asynchronous client: no thread waits for an answer (a few
 * I/O threads serve every request in flight; the deliverer bounds how many per endpoint), pooled keep-alive
 * connections, the {@link AddressGuard} as DNS resolver (checked on every new connection) and as port check (before
 * every request), no redirects, no automatic retries (the schedule decides), a connect timeout and a total timeout
 * enforced by cancelling the request. Keeps at most {@code bodyLimit} bytes of the answer and drops the rest as it
 * arrives.
 *
 * <p>The DNS lookup of a new connection runs on the thread that starts the request or on an I/O thread (HttpClient
 * resolves in place): a slow DNS server delays the deliveries started behind it for the lookup's time, not only its
 * endpoint's. The JVM caches lookups (30 s), so this costs one lookup per host and half minute at most.
 */
final class HttpSender implements AutoCloseable {

    /** What the receiver answered; {@code retryAfter} only for 429 and 503. */
    record Answer(int status, String body, Duration retryAfter) {
    }

    /** Told of every request sent again at once on another connection (see {@link UnsentRetry}). */
    interface Resends {
        void resent(String endpoint, String reason);
    }

    private static final Logger log = LoggerFactory.getLogger(HttpSender.class);
    static final String ENDPOINT = "hooksync.endpoint";   // the context attribute naming the request's endpoint

    private final AddressGuard guard;
    private final CloseableHttpAsyncClient client;
    private final ScheduledExecutorService timer;
    private final Duration timeout;
    private final int bodyLimit;

    HttpSender(AddressGuard guard, Duration connectTimeout, Duration timeout, int bodyLimit, Resends resends) {
        this.guard = guard;
        this.timeout = timeout;
        this.bodyLimit = bodyLimit;
        // not a Spring bean: an Executor bean would switch off Boot's own task executor
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1,
                r -> BackgroundPriority.thread("hooksync-delivery-timeouts", r));
        deadlines.setRemoveOnCancelPolicy(true);   // one deadline per request, nearly all cancelled by the answer
        this.timer = deadlines;
        AtomicInteger ioThreads = new AtomicInteger();
        this.client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDnsResolver(guard)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                .setSocketTimeout(Timeout.of(timeout))
                                .build())
                        .setMaxConnTotal(1000)
                        .setMaxConnPerRoute(1000)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(timeout))
                        .setRedirectsEnabled(false)
                        .build())
                .setThreadFactory(r -> BackgroundPriority.thread("hooksync-delivery-io-" + ioThreads.incrementAndGet(), r))
                .setIoReactorExceptionCallback(e -> log.error("Delivery I/O thread: unexpected failure", e))
                .disableRedirectHandling()
                .setRetryStrategy(new UnsentRetry(resends))
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("Hooksync-Webhooks/1")
                .build();
        client.start();
    }

    /**
     * Starts the POST and returns at once. The future fails with {@link AddressGuard.BlockedAddressException} for a
     * refused address or port, {@link TotalTimeoutException} when the answer was not complete in time, and other
     * {@link IOException}s for connection failures; it completes on an I/O thread, or at once when refused.
     */
    CompletableFuture<Answer> post(String endpoint, String url, Map<String, String> headers, byte[] body) {
        String port = guard.portProblem(URI.create(url));
        if (port != null) {   // a URL saved before allowed-ports was set
            return CompletableFuture.failedFuture(new AddressGuard.BlockedAddressException(port));
        }
        AsyncRequestBuilder request = AsyncRequestBuilder.post(url).setEntity(body, ContentType.APPLICATION_JSON);
        headers.forEach(request::setHeader);
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        HttpClientContext context = HttpClientContext.create();
        context.setAttribute(ENDPOINT, endpoint);
        Future<Message<HttpResponse, byte[]>> call;
        try {
            call = client.execute(request.build(), new BasicResponseConsumer<>(new Head(bodyLimit)), null, context,
                    new FutureCallback<>() {
                        @Override
                        public void completed(Message<HttpResponse, byte[]> response) {
                            try {
                                answer.complete(answer(response));
                            } catch (RuntimeException e) {
                                answer.completeExceptionally(e);
                            }
                        }

                        @Override
                        public void failed(Exception e) {
                            answer.completeExceptionally(e);
                        }

                        @Override
                        public void cancelled() {
                            answer.completeExceptionally(timedOut());
                        }
                    });
        } catch (RuntimeException e) {   // e.g. the client was closed at shutdown
            return CompletableFuture.failedFuture(e);
        }
        // the future completes at the deadline even if the client never calls back: a lane's place is never lost
        ScheduledFuture<?> deadline = timer.schedule(() -> {
            call.cancel(true);
            answer.completeExceptionally(timedOut());
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        answer.whenComplete((a, e) -> deadline.cancel(false));
        return answer;
    }

    /**
     * Sends a request again at once, on another connection, only when the connection it was given had been closed by
     * the receiver in the meantime (keep-alive timeouts; servers that keep only so many idle connections: the JDK's
     * {@code HttpServer} keeps 200, so an engine with dozens of connections to each of ten endpoints on it found
     * closed ones, each such request failed at once, and a burst of them opened the endpoint's breaker for 30 s):
     * <ul>
     * <li>a request that never left ({@link RequestNotExecutedException});</li>
     * <li>a request written to a connection that had already carried an exchange, dropped (closed or reset) before any
     * answer to it, only if it carries {@link #IDEMPOTENCY_KEY}, the Standard Webhooks id receivers deduplicate by.
     * The receiver may have read it; delivery is at least once, and the retry schedule would send it again anyway,
     * 5 s later and counted as a failure (the rule Go's HTTP client applies to requests with an idempotency
     * key).</li>
     * </ul>
     * The connection a resend is given may be another closed one: the pool can hold many (a connection comes back to
     * it just after its answer, so the next request may have opened a new one meanwhile; a server that keeps only so
     * many idle connections closes dozens at once when the engine's requests in flight fall). So a request that never
     * left is sent again up to {@link #RESENDS} times in all (it cost the receiver nothing; each failure drops one dead
     * connection from the pool; the bound is for a receiver that closes new connections too), and one dropped on a
     * reused connection up to {@link #DROPPED_RESENDS} times, counted per request. A request dropped on a new
     * connection, timed out, or refused is not sent again here: the schedule decides.
     */
    static final class UnsentRetry implements HttpRequestRetryStrategy {

        /** Executions after the first, whatever their reason. */
        static final int RESENDS = 10;
        /** Resends of a request the receiver may have read (dropped on a reused connection), per request. */
        static final int DROPPED_RESENDS = 3;
        static final String IDEMPOTENCY_KEY = "webhook-id";
        private static final String DROPS = "hooksync.drops";   // the context attribute counting a request's drops

        private final Resends resends;

        UnsentRetry(Resends resends) {
            this.resends = resends;
        }

        @Override
        public boolean retryRequest(HttpRequest request, IOException failure, int execCount, HttpContext context) {
            String reason = reason(request, failure, execCount, context);
            Object endpoint = context == null ? null : context.getAttribute(ENDPOINT);
            if (reason == null) {
                log.debug("Endpoint {}: not sent again after {} execution(s): {}", endpoint, execCount, failure.toString());
                return false;
            }
            log.debug("Endpoint {}: sent again on another connection after {} execution(s) ({}): {}", endpoint, execCount,
                    reason, failure.toString());
            resends.resent(endpoint == null ? "unknown" : endpoint.toString(), reason);
            return true;
        }

        /**
         * {@code unsent}, {@code dropped} (counted in the request's context), or null when the request is not to be
         * sent again.
         */
        private static String reason(HttpRequest request, IOException failure, int execCount, HttpContext context) {
            if (execCount > RESENDS) {
                return null;
            }
            if (failure instanceof RequestNotExecutedException) {
                return "unsent";
            }
            boolean dropped = failure instanceof ConnectionClosedException
                    || failure instanceof SocketException && !(failure instanceof ConnectException);
            if (!dropped || !request.containsHeader(IDEMPOTENCY_KEY) || !reused(context)) {
                return null;
            }
            int drops = context.getAttribute(DROPS) instanceof Integer n ? n : 0;   // reused: the context is there
            if (drops >= DROPPED_RESENDS) {
                return null;
            }
            context.setAttribute(DROPS, drops + 1);
            return "dropped";
        }

        /**
         * The connection had carried a request before this one (a pooled connection goes back to the pool only after
         * a complete exchange; HttpCore does not count the answers of this client's connections, so the requests).
         */
        private static boolean reused(HttpContext context) {
            EndpointDetails connection = context == null ? null : HttpCoreContext.cast(context).getEndpointDetails();
            return connection != null && connection.getRequestCount() > 1;
        }

        @Override
        public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
            return false;   // an answer is the receiver's: the retry schedule handles 429, 503 and the rest
        }

        @Override
        public TimeValue getRetryInterval(HttpRequest request, IOException failure, int execCount, HttpContext context) {
            return TimeValue.ZERO_MILLISECONDS;
        }

        @Override
        public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
            return TimeValue.ZERO_MILLISECONDS;
        }
    }

    private TotalTimeoutException timedOut() {
        return new TotalTimeoutException("no complete answer within " + timeout.toMillis() + " ms");
    }

    private static Answer answer(Message<HttpResponse, byte[]> response) {
        int status = response.getHead().getCode();
        byte[] head = response.getBody();
        Duration retryAfter = status == 429 || status == 503 ? retryAfter(response.getHead().getFirstHeader("Retry-After")) : null;
        return new Answer(status, head == null ? "" : new String(head, StandardCharsets.UTF_8), retryAfter);
    }

    /** The receiver did not answer completely within the total timeout. */
    static final class TotalTimeoutException extends IOException {
        TotalTimeoutException(String message) {
            super(message);
        }
    }

    /** Keeps the first {@code limit} bytes of a body and reads past the rest, so the connection can be reused. */
    private static final class Head extends AbstractBinAsyncEntityConsumer<byte[]> {

        private final int limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        Head(int limit) {
            this.limit = limit;
        }

        @Override
        protected void streamStart(ContentType contentType) {
        }

        @Override
        protected int capacityIncrement() {
            return 8192;
        }

        @Override
        protected void data(ByteBuffer src, boolean endOfStream) {
            int keep = Math.min(src.remaining(), limit - kept.size());
            if (keep > 0) {
                byte[] bytes = new byte[keep];
                src.get(bytes);
                kept.write(bytes, 0, keep);
            }
            src.position(src.limit());
        }

        @Override
        protected byte[] generateContent() {
            return kept.toByteArray();
        }

        @Override
        public void releaseResources() {
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
    public void close() {
        timer.shutdownNow();
        client.close(CloseMode.GRACEFUL);
    }
}
