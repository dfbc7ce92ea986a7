package io.hooksync.ingress;

/**
 * Where a value of an event is found: a request header ({@code header:X-GitHub-Delivery}), a dotted
 * path into the JSON body ({@code body:data.object.id}), or, for the event id only, the SHA-256 of the
 * body when the sender names none ({@code content-hash}) so redeliveries of the same bytes dedupe.
 */
record FieldRef(Where where, String name) {

    enum Where { HEADER, BODY, CONTENT_HASH }

    static FieldRef parse(String spec, String what) {
        if (spec == null || spec.isBlank() || spec.equals("content-hash")) {
            return new FieldRef(Where.CONTENT_HASH, "");
        }
        int colon = spec.indexOf(':');
        String name = colon < 0 ? "" : spec.substring(colon + 1).trim();
        if (colon > 0 && !name.isEmpty()) {
            switch (spec.substring(0, colon).trim()) {
                case "header":
                    return new FieldRef(Where.HEADER, name);
                case "body":
                    return new FieldRef(Where.BODY, name);
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(what + " '" + spec
                + "' is not understood: use header:<Header-Name>, body:<dotted.path> or content-hash");
    }

    static FieldRef body(String path) {
        return new FieldRef(Where.BODY, path);
    }

    @Override
    public String toString() {
        return where == Where.CONTENT_HASH ? "content-hash" : where.name().toLowerCase() + ":" + name;
    }
}
