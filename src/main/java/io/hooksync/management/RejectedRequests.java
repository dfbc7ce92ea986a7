package io.hooksync.management;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

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

    private static final byte[] BODY = ("{\"type\":\"urn:hooksync:problem:request-rejected\",\"title\":\"Bad request\","
            + "\"status\":400,\"detail\":\"the request was rejected: its path holds encoded or relative segments "
            + "or characters that are not allowed\"}").getBytes(StandardCharsets.UTF_8);

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        response.setStatus(400);
        response.setContentType("application/problem+json");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(BODY.length);
        response.getOutputStream().write(BODY);
    }
}
