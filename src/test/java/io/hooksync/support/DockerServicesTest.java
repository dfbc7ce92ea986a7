package io.hooksync.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class DockerServicesTest {

    @Test
    void withoutDockerAClassIsNotRunAndSaysWhatItNeeds() {
        ConditionEvaluationResult result = DockerServices.withoutDocker("CdcMariaDbIT", Set.of("docker", "mariadb"), false);

        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValue("not run: CdcMariaDbIT needs a Docker engine for mariadb "
                + "(Testcontainers; where no registry is reachable also scripts/stand-in-images)");
    }

    @Test
    void whenDockerIsRequiredNotRunIsAFailure() {
        assertThatThrownBy(() -> DockerServices.withoutDocker("SinkWriterBatchIT", Set.of("docker", "postgres", "mariadb"), true))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("required").hasMessageContaining("SinkWriterBatchIT needs a Docker engine for mariadb, postgres");
    }
}
