package io.hooksync.infra;

import net.jpountz.lz4.LZ4Factory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives Kafka's LZ4 (every producer of the engine compresses with it, and the in-JVM broker and every consumer
 * decompress it) lz4-java's native library where the platform has one. Kafka asks {@code LZ4Factory.fastestInstance()},
 * which tries the native library only when lz4-java was loaded by the system class loader or the library is loaded
 * already: true in tests, {@code spring-boot:run} and the container image's extracted layout, not with
 * {@code java -jar} on the packaged jar, whose classes come from Spring Boot's own class loader. There Kafka fell
 * back to the pure-Java decompressor, which took 8% of the engine's CPU (the JIT compiler aside) while draining a
 * backlog (docs/benchmarks.md, issue 15). Loading the library before the first Kafka client or broker starts makes
 * {@code fastestInstance()} return the native one; where it cannot load (no library for the platform, no writable
 * temporary directory) Kafka keeps the pure-Java one, as before.
 */
public final class NativeLz4 {

    private static final Logger log = LoggerFactory.getLogger(NativeLz4.class);

    private NativeLz4() {
    }

    /** Loads the native library once; true when Kafka's LZ4 is the native one from now on. */
    public static synchronized boolean load() {
        try {
            LZ4Factory.nativeInstance();
        } catch (Throwable e) {   // UnsatisfiedLinkError, a temporary directory that is not writable, no platform build
            log.info("LZ4 for Kafka: pure Java (the native library did not load: {})", e.toString());
            return false;
        }
        boolean loaded = LZ4Factory.fastestInstance() == LZ4Factory.nativeInstance();
        log.info("LZ4 for Kafka: {}", loaded ? "native library" : "pure Java");
        return loaded;
    }
}
