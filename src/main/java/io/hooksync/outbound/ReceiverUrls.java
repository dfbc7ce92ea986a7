package io.hooksync.outbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Receiver URLs often carry credentials in their path or query ({@code /hooks/<token>}, {@code ?key=...}):
 * logs and read-only API callers get only the origin, {@code scheme://host[:port]}, never the userinfo,
 * path, query or fragment.
 */
final class ReceiverUrls {

    static final String UNREADABLE = "(not a URL)";

    private ReceiverUrls() {
    }

    static String origin(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return UNREADABLE;
            }
            String origin = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost();
            return uri.getPort() == -1 ? origin : origin + ":" + uri.getPort();
        } catch (URISyntaxException e) {
            return UNREADABLE;
        }
    }
}
