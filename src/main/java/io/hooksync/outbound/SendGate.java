package io.hooksync.outbound;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a claimed delivery may still be sent, asked by the deliverer before each attempt (and before
 * claiming). An endpoint that answered 410 Gone is stopped in this instance the moment the answer
 * arrives, before the recorder has written the disabling; a disabled or deleted endpoint, as the
 * {@link EndpointDirectory} sees it, is stopped everywhere within the directory's refresh. A stopped
 * endpoint's claimed and queued deliveries are released (back to pending, no attempt counted), like the
 * pending deliveries of any disabled endpoint: they are sent if it is enabled again. The 410 mark
 * lapses once the endpoint's row changed after it (enabled again through the API).
 */
final class SendGate {

    private final Map<String, Long> goneAt = new ConcurrentHashMap<>();

    /** The endpoint answered 410 Gone at {@code at}. */
    void gone(String endpointId, long at) {
        goneAt.merge(endpointId, at, Math::max);
    }

    /**
     * Null when a delivery to the endpoint may be sent now, otherwise why not. {@code current} is the
     * endpoint as the directory has it now, null when it was deleted.
     */
    String stopped(String endpointId, Endpoint current) {
        if (current == null) {
            return "the endpoint was deleted";
        }
        if (!current.enabled()) {
            return "the endpoint is disabled";
        }
        Long gone = goneAt.get(endpointId);
        if (gone == null) {
            return null;
        }
        if (current.updatedAt() > gone) {
            goneAt.remove(endpointId, gone);   // enabled again (or changed) after the 410: the row decides
            return null;
        }
        return "the endpoint answered 410 Gone";
    }
}
