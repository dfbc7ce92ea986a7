package io.hooksync.ingress;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What arrived, before anything is trusted: the raw body bytes and the headers keyed by lower-case name. */
record UnverifiedRequest(String source, Map<String, String> headers, byte[] body) {

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
}
