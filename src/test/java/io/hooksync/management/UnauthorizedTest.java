package io.hooksync.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InsufficientAuthenticationException;

/** The 401 problem: what it says to a stranger, with or without the Basic challenge. */
class UnauthorizedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static MockHttpServletResponse answer(Unauthorized entryPoint, String path, Exception failure)
            throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        entryPoint.commence(new MockHttpServletRequest("POST", path), response,
                failure instanceof BadCredentialsException bad ? bad : new InsufficientAuthenticationException("none"));
        return response;
    }

    @Test
    void aMissingCredentialIsAProblemNamingBearerAndBasicWithTheChallenge() throws Exception {
        MockHttpServletResponse response = answer(Unauthorized.withChallenge("/webhooks"), "/api/endpoints", null);
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Basic realm=\"hooksync\"");
        JsonNode problem = JSON.readTree(response.getContentAsString());
        assertThat(problem.get("type").asText()).isEqualTo("urn:hooksync:problem:unauthorized");
        assertThat(problem.get("title").asText()).isEqualTo("Unauthorized");
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(problem.get("instance").asText()).isEqualTo("/api/endpoints");
        assertThat(problem.get("detail").asText()).startsWith("this needs")
                .contains("Authorization: Bearer <token>", "HTTP Basic").doesNotContain("webhooks");
    }

    @Test
    void refusedCredentialsAreSaidToBeRefused() throws Exception {
        MockHttpServletResponse response = answer(Unauthorized.withChallenge("/webhooks"), "/actuator/prometheus",
                new BadCredentialsException("wrong"));
        assertThat(JSON.readTree(response.getContentAsString()).get("detail").asText())
                .startsWith("the credentials were not accepted").contains("Authorization: Bearer");
    }

    @Test
    void outsideTheApiTheDetailNamesTheConfiguredIngressPathAndThereIsNoChallenge() throws Exception {
        MockHttpServletResponse response = answer(Unauthorized.withoutChallenge("/hooks"), "/webhook/github", null);
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeader("WWW-Authenticate")).isNull();
        assertThat(response.getHeader("Location")).isNull();
        assertThat(JSON.readTree(response.getContentAsString()).get("detail").asText())
                .endsWith("webhooks are received at POST /hooks/{source}");
    }

    @Test
    void theInstanceEchoesOnlyPrintableCharacters() throws Exception {
        MockHttpServletResponse response = answer(Unauthorized.withoutChallenge("/webhooks"), "/x\u0007y" + "z".repeat(300),
                null);
        String instance = JSON.readTree(response.getContentAsString()).get("instance").asText();
        assertThat(instance).startsWith("/x?yz").hasSize(200);
    }
}
