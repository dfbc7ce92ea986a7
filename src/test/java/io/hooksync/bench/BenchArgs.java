package io.hooksync.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code key=value} arguments every bench tool takes from the scripts in bench/. */
final class BenchArgs {

    private BenchArgs() {
    }

    /** {@code args} from position {@code from} on, as a map; anything without a key and '=' is refused by name. */
    static Map<String, String> parse(String[] args, int from) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String arg : Arrays.asList(args).subList(Math.min(from, args.length), args.length)) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            opts.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return opts;
    }
}
