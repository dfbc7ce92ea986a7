package io.hooksync.management;

import java.io.IOException;

import io.hooksync.infra.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;

/**
 * Requests Spring Security's firewall refuses (encoded dots or slashes, {@code ..} segments, odd characters in the
 * path) get 400 problem+json like every other refusal, instead of an error dispatch. The detail does not echo the
 * request.
 */
@Component
class RejectedRequests implements RequestRejectedHandler {

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        ProblemResponses.write(response, 400, "request-rejected", "Bad request", "the request was rejected: its path "
                + "holds encoded or relative segments or characters that are not allowed");
    }
}
