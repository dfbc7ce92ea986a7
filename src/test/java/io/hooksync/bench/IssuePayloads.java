package io.hooksync.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The GitHub {@code issues} payload of the benchmarks with {@code issue.id} and {@code issue.updated_at} replaced
 * per event, by splicing bytes (no JSON work per request). Which event gets which values:
 * <ul>
 *   <li>distinct: event i is issue {@code idBase + i};</li>
 *   <li>hot mix ({@code hotEvery = 10, hotRows = 10}): every 10th event is about one of 10 issues
 *       ({@code idBase - 1 - k}), the others are distinct: 10% of the events rewrite 10 rows;</li>
 *   <li>stamped: {@code issue.updated_at} = 2026-01-01T00:00:00Z + i seconds, so a later event about a row is
 *       newer and rewrites it (and emits) as a busy issue does; unstamped events keep the fixture's time.</li>
 * </ul>
 */
final class IssuePayloads {

    private static final long STAMP_BASE = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();

    private final byte[] head;
    private final byte[] middle;
    private final byte[] tail;
    private final String fixtureUpdatedAt;

    private IssuePayloads(byte[] head, byte[] middle, byte[] tail, String fixtureUpdatedAt) {
        this.head = head;
        this.middle = middle;
        this.tail = tail;
        this.fixtureUpdatedAt = fixtureUpdatedAt;
    }

    /** Finds issue.id and issue.updated_at in the compact JSON and checks the splice by parsing a probe. */
    static IssuePayloads of(String json) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        int issue = json.indexOf("\"issue\":{");
        int idAt = json.indexOf("\"id\":", issue);
        if (issue < 0 || idAt < 0) {
            throw new IllegalArgumentException("body is not a GitHub issues payload (no issue.id)");
        }
        int idStart = idAt + 5;
        int idEnd = idStart;
        while (idEnd < json.length() && Character.isDigit(json.charAt(idEnd))) {
            idEnd++;
        }
        String updated = mapper.readTree(json).path("issue").path("updated_at").asText();
        String needle = "\"updated_at\":\"" + updated + "\"";
        // The milestone inside the issue may carry the same updated_at: take the occurrence that is issue.updated_at.
        for (int at = json.indexOf(needle, idEnd); at >= 0; at = json.indexOf(needle, at + 1)) {
            int valueStart = at + needle.length() - updated.length() - 1;
            IssuePayloads candidate = new IssuePayloads(
                    json.substring(0, idStart).getBytes(StandardCharsets.UTF_8),
                    json.substring(idEnd, valueStart).getBytes(StandardCharsets.UTF_8),
                    json.substring(valueStart + updated.length()).getBytes(StandardCharsets.UTF_8), updated);
            JsonNode probe = mapper.readTree(candidate.body(7, "2001-02-03T04:05:06Z")).path("issue");
            if (probe.path("id").asLong() == 7 && probe.path("updated_at").asText().equals("2001-02-03T04:05:06Z")) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("could not find issue.updated_at in the payload");
    }

    /** Event i's body: see the class comment for the issue id and updated_at it carries. */
    byte[] event(long i, long idBase, int hotEvery, int hotRows, boolean stamped) {
        long issueId = hotEvery > 0 && i % hotEvery == 0 ? idBase - 1 - (i / hotEvery) % hotRows : idBase + i;
        return body(issueId, stamped ? Instant.ofEpochSecond(STAMP_BASE + i).toString() : fixtureUpdatedAt);
    }

    byte[] body(long issueId, String updatedAt) {
        byte[] id = Long.toString(issueId).getBytes(StandardCharsets.US_ASCII);
        byte[] at = updatedAt.getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[head.length + id.length + middle.length + at.length + tail.length];
        int p = 0;
        for (byte[] part : new byte[][] {head, id, middle, at, tail}) {
            System.arraycopy(part, 0, b, p, part.length);
            p += part.length;
        }
        return b;
    }
}
