package io.hooksync.management;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;

/** Writes a management-plane refusal as an RFC 9457 {@code application/problem+json} body. */
final class ManagementProblems {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ManagementProblems() {
    }

    static void write(HttpServletResponse response, int status, String reason, String title, String detail)
            throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:hooksync:problem:" + reason);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getOutputStream(), problem);
    }
}
