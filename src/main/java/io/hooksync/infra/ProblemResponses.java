package io.hooksync.infra;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * RFC 9457 {@code application/problem+json} for refusals written below Spring MVC (servlet filters, Tomcat valves,
 * Spring Security handlers), so they read like the API's own problems: {@code type} is
 * {@code urn:hooksync:problem:<reason>}. Spring MVC's answers use Boot's ProblemDetail support instead.
 */
public final class ProblemResponses {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = PlainJson.MAPPER;

    private ProblemResponses() {
    }

    /** The body; {@code extra} members (e.g. instance, source) follow the standard ones when not null. */
    public static byte[] body(int status, String reason, String title, String detail, Map<String, String> extra) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:hooksync:problem:" + reason);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        extra.forEach((name, value) -> {
            if (value != null) {
                problem.put(name, value);
            }
        });
        try {
            return JSON.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** At most 200 printable characters of something the client sent, safe to echo in a problem and a log. */
    public static String echoable(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), 200));
        for (int i = 0; i < value.length() && out.length() < 200; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    /** Sets the status and headers and writes the body; the response is then complete. */
    public static void write(HttpServletResponse response, int status, String reason, String title, String detail)
            throws IOException {
        write(response, status, reason, title, detail, Map.of());
    }

    /** As {@link #write(HttpServletResponse, int, String, String, String)}, with {@code extra} members. */
    public static void write(HttpServletResponse response, int status, String reason, String title, String detail,
                             Map<String, String> extra) throws IOException {
        byte[] body = body(status, reason, title, detail, extra);
        response.setStatus(status);
        response.setContentType(MEDIA_TYPE);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
