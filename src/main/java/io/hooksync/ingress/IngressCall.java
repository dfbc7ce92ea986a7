package io.hooksync.ingress;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One asynchronous webhook request from its first body byte to its answer. Whatever finishes first (the body
 * read and the pipeline's outcome, a body over the limit, the async timeout, a broken connection) answers, once;
 * the in-flight budget is given back exactly then.
 */
final class IngressCall implements BodyReader.Listener, AsyncListener {

    private final AsyncContext async;
    private final Source source;
    private final IngressPipeline pipeline;
    private final IngressAnswers answers;
    private final InFlightBudget budget;
    private final long reserved;
    private final long started;
    private final String method;
    private final String contentType;
    private final Map<String, String> headers;
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile boolean bodyRead;
    private volatile Runnable onAnswer = () -> { };

    IngressCall(AsyncContext async, Source source, IngressPipeline pipeline, IngressAnswers answers,
                InFlightBudget budget, long reserved, long started, String method, String contentType,
                Map<String, String> headers) {
        this.async = async;
        this.source = source;
        this.pipeline = pipeline;
        this.answers = answers;
        this.budget = budget;
        this.reserved = reserved;
        this.started = started;
        this.method = method;
        this.contentType = contentType;
        this.headers = headers;
    }

    /** Called by the read deadline: a body still arriving after {@code hooksync.ingress.read-timeout} gets 408. */
    void readDeadline() {
        if (!bodyRead) {
            refuse(Rejection.bodyTimeout(), true);
        }
    }

    @Override
    public void body(byte[] body) {
        bodyRead = true;
        pipeline.submit(source, method, contentType, new UnverifiedRequest(source.name(), headers, body), outcome -> {
            if (claim()) {
                answers.answer(request(), response(), source, outcome, started);
                async.complete();
            }
        });
    }

    @Override
    public void tooLarge() {
        refuse(Rejection.tooLarge(source), true);
    }

    @Override
    public void failed(Throwable error) {
        if (claim()) {
            answers.broken(source, started);
            async.complete();
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        refuse(bodyRead ? Rejection.unavailable("the event was not acknowledged in time; send it again later")
                : Rejection.bodyTimeout(), !bodyRead);
    }

    @Override
    public void onError(AsyncEvent event) {
        failed(event.getThrowable());
    }

    @Override
    public void onComplete(AsyncEvent event) {
        if (claim()) {
            answers.broken(source, started);   // completed by the container (connection gone) before an answer
        }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }

    private void refuse(Rejection rejection, boolean close) {
        if (claim()) {
            answers.refuse(request(), response(), source, rejection, started, close);
            async.complete();
        }
    }

    /** Runs {@code action} once the call is answered (or at once if it already is). */
    void onAnswer(Runnable action) {
        onAnswer = action;
        if (answered.get()) {
            action.run();
        }
    }

    /** True for the one caller that may answer; gives the reserved bytes back. */
    private boolean claim() {
        if (answered.compareAndSet(false, true)) {
            budget.release(reserved);
            onAnswer.run();
            return true;
        }
        return false;
    }

    private HttpServletRequest request() {
        return (HttpServletRequest) async.getRequest();
    }

    private HttpServletResponse response() {
        return (HttpServletResponse) async.getResponse();
    }
}
