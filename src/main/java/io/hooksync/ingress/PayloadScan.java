package io.hooksync.ingress;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * One streaming pass over a JSON body: checks that it is exactly one well-formed JSON object and
 * picks the scalar values at the requested dotted paths ({@code data.object.id}). No tree is built,
 * so a 25 MB GitHub payload costs one scan and no copy.
 */
final class PayloadScan {

    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)]");

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();

    private PayloadScan() {
    }

    /** Thrown for anything that is not a single JSON object; the message says what and where. */
    static final class MalformedPayloadException extends Exception {
        MalformedPayloadException(String message) {
            super(message);
        }
    }

    /** Values found at {@code paths} (absent paths and non-scalar values are left out). */
    static Map<String, String> scan(byte[] body, Set<String> paths) throws MalformedPayloadException {
        Map<String, String> pointers = new HashMap<>();
        Set<String> lastSegments = new HashSet<>();
        for (String path : paths) {
            pointers.put("/" + path.replace('.', '/'), path);
            lastSegments.add(path.substring(path.lastIndexOf('.') + 1));
        }
        Map<String, String> found = new HashMap<>();
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedPayloadException("the body must be a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token.isScalarValue() && found.size() < pointers.size()
                        && lastSegments.contains(parser.currentName())) {
                    String path = pointers.get(parser.getParsingContext().pathAsPointer().toString());
                    if (path != null && token != JsonToken.VALUE_NULL) {
                        found.putIfAbsent(path, parser.getValueAsString());
                    }
                }
                if (parser.getParsingContext().inRoot()) {
                    break;
                }
            }
            if (token == null) {
                throw new MalformedPayloadException("the JSON body ends before the object is closed");
            }
            if (parser.nextToken() != null) {
                throw new MalformedPayloadException("unexpected content after the JSON object at "
                        + location(parser));
            }
        } catch (JsonParseException e) {
            throw new MalformedPayloadException("malformed JSON at " + location(e.getProcessor()) + ": "
                    + withoutSource(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new MalformedPayloadException("malformed JSON: " + e.getMessage());
        }
        return found;
    }

    /**
     * Jackson's message without the "[Source: REDACTED (...); line: 1, column: 1]" it embeds for a marker's
     * position (the body is never quoted in it anyway): {@code (line 1, column 1)}.
     */
    private static String withoutSource(String message) {
        return message == null ? "" : SOURCE.matcher(message).replaceAll("(line $1, column $2)");
    }

    private static String location(JsonParser parser) {
        var at = parser.currentLocation();
        return "line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
}
