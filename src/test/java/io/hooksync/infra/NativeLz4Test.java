package io.hooksync.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URL;
import java.net.URLClassLoader;

import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/**
 * {@link NativeLz4} in the situation it is for: lz4-java loaded by a class loader that is not the system one (as in
 * the packaged jar), where {@code LZ4Factory.fastestInstance()}, which Kafka uses, does not try the native library.
 */
class NativeLz4Test {

    @Test
    void underAnotherClassLoaderKafkasLz4IsPureJavaUntilTheNativeLibraryIsLoaded() throws Exception {
        assumeTrue(nativeLibraryLoadsHere(), "no lz4-java native library for this platform");
        try (URLClassLoader jarLike = new URLClassLoader(new URL[] {location(LZ4Factory.class),
                location(NativeLz4.class), location(org.slf4j.Logger.class)}, ClassLoader.getPlatformClassLoader())) {
            Class<?> factory = jarLike.loadClass(LZ4Factory.class.getName());
            assertThat(factory.getClassLoader()).isSameAs(jarLike);

            // nothing here may ask for nativeInstance(): that loads the library
            assertThat(fastest(factory)).doesNotHaveToString("LZ4Factory:JNI");   // the pure-Java one

            Object loaded = jarLike.loadClass(NativeLz4.class.getName()).getMethod("load").invoke(null);

            assertThat(loaded).isEqualTo(true);
            assertThat(fastest(factory)).hasToString("LZ4Factory:JNI");
        }
    }

    /** Whether the native library loads at all here (this JVM's own copy, under the test class loader). */
    private static boolean nativeLibraryLoadsHere() {
        try {
            LZ4Factory.nativeInstance();
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    private static Object fastest(Class<?> factory) throws Exception {
        return factory.getMethod("fastestInstance").invoke(null);
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }
}
