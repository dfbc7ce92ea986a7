package io.hooksync.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.hooksync.infra.InvalidConfigurationException;
import io.hooksync.infra.RuntimeMode;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The admin password policy per mode, and API token resolution. */
class AdminUserTest {

    @Test
    void productionModeRefusesToStartWithoutAnAdminPassword() {
        assertThatThrownBy(() -> AdminUser.password("admin", "", RuntimeMode.PRODUCTION))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("HOOKSYNC_ADMIN_PASSWORD is not set");
        assertThatThrownBy(() -> AdminUser.password("admin", "short", RuntimeMode.PRODUCTION))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("too short");
        assertThat(AdminUser.password("admin", "a-long-enough-password", RuntimeMode.PRODUCTION))
                .isEqualTo("a-long-enough-password");
    }

    @Test
    void embeddedModeGeneratesAPasswordWhenNoneIsSet() {
        String first = AdminUser.password("admin", "", RuntimeMode.EMBEDDED);
        assertThat(first).hasSizeGreaterThanOrEqualTo(20).isNotEqualTo(AdminUser.password("admin", null, RuntimeMode.EMBEDDED));
        assertThat(AdminUser.password("admin", "chosen", RuntimeMode.EMBEDDED)).isEqualTo("chosen");
    }

    @Test
    void modeNamesAreChecked() {
        assertThat(RuntimeMode.parse(" Production ")).isEqualTo(RuntimeMode.PRODUCTION);
        assertThatThrownBy(() -> RuntimeMode.parse("prod")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("embedded or production");
    }

    @Test
    void tokensAreReferencesLongEnoughAndMatchedExactly() {
        MockEnvironment env = new MockEnvironment().withProperty("CI_TOKEN", "ci-token-0123456789abcdefghijkl");
        ApiTokens tokens = ApiTokens.resolve(Map.of("ci", new ManagementProperties.Token("env:CI_TOKEN",
                ManagementProperties.Role.READ)), env);
        assertThat(tokens.find("ci-token-0123456789abcdefghijkl")).hasValueSatisfying(h -> {
            assertThat(h.name()).isEqualTo("ci");
            assertThat(h.role()).isEqualTo(ManagementProperties.Role.READ);
        });
        assertThat(tokens.find("ci-token-0123456789abcdefghijk")).isEmpty();
        assertThat(tokens.find("")).isEmpty();

        assertThatThrownBy(() -> ApiTokens.resolve(Map.of("x", new ManagementProperties.Token(
                "literal-secret-in-yaml-0123456789", ManagementProperties.Role.ADMIN)), env))
                .hasMessageContaining("hooksync.management.tokens.x.secret").hasMessageNotContaining("literal-secret");
        assertThatThrownBy(() -> ApiTokens.resolve(Map.of("y", new ManagementProperties.Token("env:MISSING",
                ManagementProperties.Role.ADMIN)), env)).hasMessageContaining("MISSING is not set");
        env.setProperty("SHORT", "short");
        assertThatThrownBy(() -> ApiTokens.resolve(Map.of("z", new ManagementProperties.Token("env:SHORT",
                ManagementProperties.Role.ADMIN)), env)).hasMessageContaining("at least 24");
    }
}
