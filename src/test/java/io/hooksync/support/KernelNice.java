package io.hooksync.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Nice values as the Linux kernel reports them in {@code /proc} (tests of hooksync.background-nice). */
public final class KernelNice {

    private KernelNice() {
    }

    /** Field 19 of a {@code stat} file (counted after the command name in parentheses): the nice value. */
    public static int of(Path stat) throws IOException {
        String line = Files.readString(stat);
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }

    /** The calling thread's nice value. */
    public static int ofThisThread() throws IOException {
        return of(Path.of("/proc/thread-self/stat"));
    }

    /** The JVM's main nice value (its process entry). */
    public static int ofThisProcess() throws IOException {
        return of(Path.of("/proc/self/stat"));
    }
}
