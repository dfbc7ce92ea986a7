package io.hooksync.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The API's one advice answers every refusal as problem+json, naming the fields of a 400 and hiding a 500's cause. */
class ApiProblemsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Things(), new Pages())
            .addMappedInterceptors(new String[] {StrictQueryParameters.API_PATHS}, new StrictQueryParameters.Interceptor())
            .setMessageConverters(new MappingJackson2HttpMessageConverter(
                    StrictRequestBodies.strict(Jackson2ObjectMapperBuilder.json().build())))
            .setControllerAdvice(new ApiProblems()).build();

    @Test
    void anUnknownPathUnderApiIsA404Problem() throws Exception {
        JsonNode problem = problem(get("/api/no-such-thing"), 404);
        assertThat(problem.get("type").asText()).isEqualTo("urn:hooksync:problem:not-found");
        assertThat(problem.get("detail").asText())
                .isEqualTo("nothing is served at this path; the API is described at /v3/api-docs");
    }

    @Test
    void anUnknownIdIsA404ProblemWithItsDetail() throws Exception {
        JsonNode problem = problem(get("/api/things/42"), 404);
        assertThat(problem.get("type").asText()).isEqualTo("urn:hooksync:problem:not-found");
        assertThat(problem.get("detail").asText()).isEqualTo("no thing 42");
    }

    @Test
    void aWrongMethodIsA405Problem() throws Exception {
        MockHttpServletResponse response = mvc.perform(delete("/api/things")).andReturn().getResponse();
        assertThat(response.getHeader("Allow")).contains("POST");
        assertThat(parse(response, 405).get("type").asText()).isEqualTo("urn:hooksync:problem:method-not-allowed");
    }

    @Test
    void aBodyThatIsNotJsonIsA415Problem() throws Exception {
        JsonNode problem = problem(post("/api/things").contentType(MediaType.TEXT_PLAIN).content("name=x"), 415);
        assertThat(problem.get("type").asText()).isEqualTo("urn:hooksync:problem:unsupported-media-type");
    }

    @Test
    void invalidFieldsAreA400NamingEachField() throws Exception {
        JsonNode problem = problem(json("{\"name\": \"\", \"size\": 0}"), 400);
        assertThat(problem.get("type").asText()).isEqualTo("urn:hooksync:problem:invalid-request");
        assertThat(problem.get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("name", "size");
        assertThat(problem.get("detail").asText()).contains("name: ").contains("size: ");
    }

    @Test
    void aValueOfTheWrongTypeNamesItsField() throws Exception {
        JsonNode problem = problem(json("{\"name\": \"a\", \"size\": 1, \"ttl\": \"soon\"}"), 400);
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("ttl");
        assertThat(problem.get("errors").get(0).get("message").asText()).contains("ISO-8601 duration");
        JsonNode size = problem(json("{\"name\": \"a\", \"size\": \"big\"}"), 400);
        assertThat(size.get("errors").get(0).get("field").asText()).isEqualTo("size");
    }

    @Test
    void anUnknownFieldIsA400NamingItAndTheKnownOnes() throws Exception {
        JsonNode problem = problem(json("{\"name\": \"a\", \"size\": 1, \"sise\": 2}"), 400);
        assertThat(problem.get("errors").findValuesAsText("field")).containsExactly("sise");
        assertThat(problem.get("errors").get(0).get("message").asText())
                .isEqualTo("unknown field (known: name, size, ttl)");
    }

    @Test
    void malformedJsonIsA400() throws Exception {
        JsonNode problem = problem(json("{not json"), 400);
        assertThat(problem.get("detail").asText()).isEqualTo("the body is not valid JSON");
    }

    @Test
    void invalidParametersAreA400NamingTheParameter() throws Exception {
        assertThat(problem(get("/api/things").param("limit", "1000"), 400).get("errors").findValuesAsText("field"))
                .containsExactly("limit");
        assertThat(problem(get("/api/things").param("limit", "many"), 400).get("errors").findValuesAsText("field"))
                .containsExactly("limit");
        assertThat(problem(get("/api/things/abc"), 400).get("errors").findValuesAsText("field")).containsExactly("id");
        assertThat(problem(get("/api/things/checked"), 400).get("errors").findValuesAsText("field"))
                .containsExactly("colour");
    }

    @Test
    void anUnknownQueryParameterIsA400NamingItAndTheKnownOnes() throws Exception {
        JsonNode problem = problem(get("/api/things?limt=5&limit=1"), 400);
        assertThat(problem.get("type").asText()).isEqualTo("urn:hooksync:problem:invalid-request");
        assertThat(problem.get("errors").findValuesAsText("field")).containsExactly("limt");
        assertThat(problem.get("detail").asText())
                .isEqualTo("1 invalid field(s): limt: unknown query parameter (known: limit)");
        JsonNode none = problem(get("/api/things/checked?colour=red"), 400);
        assertThat(none.get("errors").get(0).get("message").asText())
                .isEqualTo("unknown query parameter (this operation takes none)");
        JsonNode encoded = problem(get(URI.create("/api/things?st%61tus=x&since=yesterday")), 400);
        assertThat(encoded.get("errors").findValuesAsText("field")).containsExactly("status", "since");
    }

    @Test
    void knownQueryParametersTheCsrfTokenAndParameterMapsPass() throws Exception {
        assertThat(status(get("/api/things?limit=5"))).isEqualTo(200);
        assertThat(status(get("/api/things?limit=5&_csrf=token"))).isEqualTo(200);
        assertThat(status(get("/api/things/any?whatever=1&else=2"))).isEqualTo(200);
        assertThat(status(post("/api/things/by-filter?colour=red&size=2"))).isEqualTo(200);
        JsonNode problem = problem(post("/api/things/by-filter?color=red"), 400);
        assertThat(problem.get("errors").get(0).get("message").asText())
                .isEqualTo("unknown query parameter (known: colour, size)");
        assertThat(status(get("/pages/plain?anything=1"))).as("only /api is checked").isEqualTo(200);
    }

    @Test
    void anUnexpectedFailureIsA500WithoutItsCause() throws Exception {
        MockHttpServletResponse response = mvc.perform(get("/api/things/boom")).andReturn().getResponse();
        JsonNode problem = parse(response, 500);
        assertThat(problem.get("type").asText()).isEqualTo("urn:hooksync:problem:internal-error");
        assertThat(problem.get("instance").asText()).startsWith("urn:uuid:");
        assertThat(response.getContentAsString()).doesNotContain("db.internal").doesNotContain("IllegalState");
    }

    private int status(RequestBuilder request) throws Exception {
        MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
        return response.getStatus();
    }

    private JsonNode problem(RequestBuilder request, int status) throws Exception {
        return parse(mvc.perform(request).andReturn().getResponse(), status);
    }

    private static JsonNode parse(MockHttpServletResponse response, int status) throws Exception {
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.getContentAsString());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        return problem;
    }

    private static RequestBuilder json(String body) {
        return post("/api/things").contentType(MediaType.APPLICATION_JSON).content(body);
    }

    @RestController
    @RequestMapping("/api/things")
    static class Things {

        record Thing(@NotBlank String name, @Min(1) int size, Duration ttl) {
        }

        @PostMapping
        Thing create(@RequestBody @Valid Thing thing) {
            return thing;
        }

        @GetMapping
        List<String> list(@RequestParam(defaultValue = "10") @Min(1) @Max(100) int limit) {
            return List.of();
        }

        @GetMapping("/{id}")
        Thing get(@PathVariable long id) {
            ErrorResponseException e = new ErrorResponseException(HttpStatus.NOT_FOUND);
            e.setDetail("no thing " + id);
            throw e;
        }

        @GetMapping("/checked")
        Thing checked() {
            throw InvalidFieldsException.of("colour", "one of red, green");
        }

        record Filter(String colour, Integer size) {
        }

        @PostMapping("/by-filter")
        Filter byFilter(@Valid Filter filter) {
            return filter;
        }

        @GetMapping("/any")
        Map<String, String> any(@RequestParam Map<String, String> all) {
            return all;
        }

        @GetMapping("/boom")
        Thing boom() {
            throw new IllegalStateException("table hooksync_secrets on db.internal is locked");
        }
    }

    @RestController
    static class Pages {

        @GetMapping("/pages/plain")
        String plain() {
            return "page";
        }
    }
}
