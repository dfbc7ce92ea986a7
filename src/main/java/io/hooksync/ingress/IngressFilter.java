package io.hooksync.ingress;

import java.io.IOException;
import java.time.Duration;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.hooksync.infra.ProblemResponses;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The HTTP side of the ingress, for every request under the ingress path, whatever its method or encoding. It
 * answers before reading any body when it can (engine not ready 503, unknown source 404, wrong method 405,
 * client over its rate 429, declared length over the source's max-body 413, in-flight budget spent 503); then
 * it reads the body without blocking a thread and never past the source's limit, hands it to
 * {@link IngressPipeline}, and answers from the pipeline's outcome (on the Kafka callback for a 202). The chain
 * behind it is never called: nothing else under the ingress path reads a body.
 */
final class IngressFilter extends HttpFilter {

    private final SourceRegistry sources;
    private final IngressPipeline pipeline;
    private final IngressAnswers answers;
    private final ClientRateLimits clientLimits;
    private final InFlightBudget budget;
    private final String prefix;
    private final long asyncTimeoutMillis;
    private final long readTimeoutMillis;
    private final ScheduledThreadPoolExecutor deadlines;

    IngressFilter(SourceRegistry sources, IngressPipeline pipeline, IngressAnswers answers, IngressProperties properties,
                  Duration ackTimeout) {
        this.sources = sources;
        this.pipeline = pipeline;
        this.answers = answers;
        this.clientLimits = new ClientRateLimits(properties.ingress().clientRateLimit());
        this.budget = new InFlightBudget(properties.ingress().maxInFlight().toBytes());
        this.prefix = properties.ingress().path() + "/";
        this.asyncTimeoutMillis = properties.ingress().readTimeout().plus(ackTimeout).plusSeconds(1).toMillis();
        this.readTimeoutMillis = properties.ingress().readTimeout().toMillis();
        this.deadlines = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "hooksync-ingress-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        this.deadlines.setRemoveOnCancelPolicy(true);   // answered requests leave nothing queued
    }

    @Override
    public void destroy() {
        deadlines.shutdownNow();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException {
        long started = System.nanoTime();
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        Source source = sources.find(sourceName(path, prefix)).orElse(null);
        Rejection early = early(request, source);
        if (early != null) {
            answers.refuse(request, response, source, early, started, expectsBody(request));
            return;
        }
        long limit = Math.min(source.maxBodyBytes(), Integer.MAX_VALUE - 16L);
        long declared = request.getContentLengthLong();
        long reserved = declared >= 0 ? declared : limit;
        if (!budget.tryAcquire(reserved)) {
            answers.refuse(request, response, source, Rejection.busy(), started, true);
            return;
        }
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(asyncTimeoutMillis);
        IngressCall call = new IngressCall(async, source, pipeline, answers, budget, reserved, started,
                request.getMethod(), request.getContentType(), lowerCaseHeaders(request));
        async.addListener(call);
        ScheduledFuture<?> deadline = deadlines.schedule(call::readDeadline, readTimeoutMillis, TimeUnit.MILLISECONDS);
        call.onAnswer(() -> deadline.cancel(false));
        request.getInputStream().setReadListener(new BodyReader(request.getInputStream(), declared, limit, call));
    }

    /** The refusal that needs no body, or null when the request may be read. */
    private Rejection early(HttpServletRequest request, Source source) {
        if (!pipeline.running()) {
            return Rejection.notReady();
        }
        if (source == null) {
            return Rejection.unknownSource(ProblemResponses.echoable(request.getRequestURI()), prefix);
        }
        if (!"POST".equals(request.getMethod())) {
            return Rejection.methodNotAllowed(ProblemResponses.echoable(request.getMethod()));
        }
        OptionalLong wait = clientLimits.acquire(request.getRemoteAddr());
        if (wait.isPresent()) {
            return Rejection.clientRateLimited(wait.getAsLong());
        }
        if (request.getContentLengthLong() > source.maxBodyBytes()) {
            return Rejection.tooLarge(source);
        }
        return null;
    }

    /** The source name in {@code /webhooks/<name>} (decoded, normalized path), or null. */
    static String sourceName(String path, String prefix) {
        if (path == null || !path.startsWith(prefix)) {
            return null;
        }
        String rest = path.substring(prefix.length());
        return rest.isEmpty() || rest.indexOf('/') >= 0 ? null : rest;
    }

    private static boolean expectsBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private static Map<String, String> lowerCaseHeaders(HttpServletRequest request) {
        Map<String, String> headers = new HashMap<>();
        Enumeration<String> names = request.getHeaderNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            headers.putIfAbsent(name.toLowerCase(Locale.ROOT), request.getHeader(name));
        }
        return headers;
    }
}
