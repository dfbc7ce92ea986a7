package io.hooksync.infra;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's error report as RFC 9457 problem+json: an error status that nothing wrote a body for (Tomcat refused the
 * URI or the request line, or no servlet answered) gets a short problem naming the status. Public with a no-argument
 * constructor because Tomcat's host creates it by class name ({@link ContainerErrorProblems}).
 */
public final class ProblemReportValve extends ErrorReportValve {

    public ProblemReportValve() {
        setShowServerInfo(false);
        setShowReport(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String body = "{\"type\":\"urn:hooksync:problem:http-" + status + "\",\"title\":\"" + title(status)
                + "\",\"status\":" + status + ",\"detail\":\"" + detail(status) + "\"}";
        try {
            response.setContentType(ProblemResponses.MEDIA_TYPE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader("X-Content-Type-Options", "nosniff");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response is committed: nothing more to say
        }
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 408 -> "Request timeout";
            case 413 -> "Content too large";
            case 414 -> "URI too long";
            case 431 -> "Request header fields too large";
            case 505 -> "HTTP version not supported";
            default -> status < 500 ? "Client error" : "Server error";
        };
    }

    private static String detail(int status) {
        return status == 400
                ? "the request could not be parsed: its path, request line or headers are not valid HTTP "
                        + "(an encoded slash or NUL in the path, a malformed header, ...)"
                : "the server refused the request before it reached the application (HTTP " + status + ")";
    }
}
