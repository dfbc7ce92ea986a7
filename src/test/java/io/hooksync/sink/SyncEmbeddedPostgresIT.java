package io.hooksync.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.hooksync.support.KernelNice;
import io.hooksync.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sync scenarios with in-JVM Kafka and embedded PostgreSQL (the default mode). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=" + SyncScenarios.GITHUB_SECRET,
        "STRIPE_WEBHOOK_SECRET=whsec_sync_test",
        "hooksync.kafka.partitions=1",
})
class SyncEmbeddedPostgresIT extends SyncScenarios {

    private static final Path DATA = TestData.directory("sync-embeddedpostgres");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestData.embedded(registry, DATA);
        registry.add("hooksync.routes-dir", () -> "routes");
    }

    /** hooksync.background-nice (default 10) reaches the running engine's threads, not only its building block. */
    @Test
    void theThreadsThatWorkThroughEventsRunBelowTheIngress() throws IOException {
        assumeTrue(Platform.isLinux(), "nice values of threads are Linux's");
        int jvm = KernelNice.ofThisProcess();
        List<String> background = new ArrayList<>();
        List<String> ingress = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String entry;
                try {   // the kernel cuts thread names to 15 characters
                    entry = Files.readString(task.resolve("comm")).strip() + "=" + KernelNice.of(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;   // the thread ended while we listed
                }
                if (entry.startsWith("hooksync-events") || entry.startsWith("hooksync-outbox")
                        || entry.startsWith("hooksync-timeli") || entry.startsWith("hooksync-delive")) {
                    background.add(entry);
                } else if (entry.startsWith("http-nio-")) {
                    ingress.add(entry);
                }
            }
        }
        assertThat(background).as("route consumers, outbox relay, timeline, delivery threads")
                .anyMatch(e -> e.startsWith("hooksync-events")).anyMatch(e -> e.startsWith("hooksync-outbox"))
                .allMatch(e -> e.endsWith("=" + Math.min(19, jvm + 10)));
        assertThat(ingress).as("Tomcat's request threads").isNotEmpty().allMatch(e -> e.endsWith("=" + jvm));
    }
}
