package io.hooksync.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hooksync.support.Http;
import io.hooksync.support.Signing;
import io.hooksync.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The management plane refuses strangers: every API path the application maps (found from Spring MVC's
 * own registry, so a new controller is covered without editing this test) answers 401 without or with
 * wrong credentials, read-only tokens cannot change anything, Hawtio and Jolokia need the admin, and
 * webhook ingress still works without credentials.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "GITHUB_WEBHOOK_SECRET=" + ManagementSecurityIT.GITHUB_SECRET,
        "STRIPE_WEBHOOK_SECRET=whsec_unused",
        "hooksync.management.tokens.grafana.secret=env:TEST_READ_TOKEN",
        "hooksync.management.tokens.grafana.role=read",
        "hooksync.management.tokens.deploy.secret=env:TEST_ADMIN_TOKEN",
        "hooksync.management.tokens.deploy.role=admin",
        "TEST_READ_TOKEN=" + ManagementSecurityIT.READ_TOKEN,
        "TEST_ADMIN_TOKEN=" + ManagementSecurityIT.ADMIN_TOKEN,
        "hooksync.outbound.allowed-networks=127.0.0.1/32",
        "hooksync.management.login-throttle.max-failures=100000",   // the strangers below all come from 127.0.0.1
})
class ManagementSecurityIT {

    static final String GITHUB_SECRET = "security-it-github-secret";
    static final String READ_TOKEN = "read-token-0123456789abcdefghij";
    static final String ADMIN_TOKEN = "admin-token-0123456789abcdefghij";
    private static final Path DATA = TestData.directory("security-it");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ACTUATOR = List.of("/actuator", "/actuator/prometheus", "/actuator/metrics",
            "/actuator/info", "/actuator/jolokia", "/actuator/jolokia/read/java.lang:type=Memory");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestData.embedded(registry, DATA);
    }

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private record Call(String method, String path) {
    }

    /** Every mapped API operation, path variables filled with a placeholder. */
    private List<Call> apiCalls() {
        List<Call> calls = new ArrayList<>();
        mappings.getHandlerMethods().keySet().forEach(info -> {
            var methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api")) {
                    continue;
                }
                String path = pattern.replaceAll("\\{[^}]+}", "x1");
                if (methods.isEmpty()) {
                    calls.add(new Call("GET", path));
                }
                methods.forEach(m -> calls.add(new Call(m.name(), path)));
            }
        });
        assertThat(calls).as("the API has operations to check").hasSizeGreaterThan(10)
                .contains(new Call("POST", "/api/endpoints"), new Call("POST", "/api/dead-letters/x1/replay"));
        return calls;
    }

    private HttpResponse<String> call(Call call, Map<String, String> headers) {
        String body = call.method().equals("GET") || call.method().equals("DELETE") ? null : "{}";
        return Http.json(call.method(), "http://127.0.0.1:" + port + call.path(), body, headers);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Test
    void everyApiOperationAndActuatorEndpointAnswers401WithoutOrWithWrongCredentials() throws Exception {
        List<Map<String, String>> strangers = List.of(Map.of(), Http.basic("admin", "wrong-password"),
                Http.basic("someone", Http.ADMIN_PASSWORD), Map.of("Authorization", "Bearer not-a-configured-token"));
        List<Call> calls = new ArrayList<>(apiCalls());
        ACTUATOR.forEach(path -> calls.add(new Call("GET", path)));
        calls.add(new Call("POST", "/actuator/jolokia"));
        for (Map<String, String> stranger : strangers) {
            boolean basic = stranger.getOrDefault("Authorization", "").startsWith("Basic ");
            for (Call call : calls) {
                HttpResponse<String> response = call(call, stranger);
                // a change with Basic credentials needs the CSRF token, checked before the credentials
                int expected = basic && !call.method().equals("GET") ? 403 : 401;
                assertThat(response.statusCode()).as(call + " with " + stranger.keySet()).isEqualTo(expected);
                assertProblem(response, expected, expected == 401 ? "unauthorized" : "csrf-token");
                assertThat(response.headers().allValues("Set-Cookie")).as("no session for " + call)
                        .noneMatch(c -> c.startsWith("JSESSIONID"));
            }
        }
    }

    @Test
    void browserPagesRedirectToTheLoginFormAndTheLoginFormIsServed() {
        for (String page : List.of("/", "/actuator/hawtio", "/actuator/hawtio/")) {
            HttpResponse<String> response = Http.get(url(page), Map.of("Accept", "text/html"));
            assertThat(response.statusCode()).as(page).isEqualTo(302);
            assertThat(response.headers().firstValue("Location")).as(page).hasValueSatisfying(
                    location -> assertThat(location).endsWith("/login"));
        }
        HttpResponse<String> login = Http.get(url("/login"));
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("name=\"_csrf\"", "name=\"username\"");
    }

    @Test
    void aReadOnlyTokenReadsButEveryChangeIsForbidden() throws Exception {
        Map<String, String> reader = Map.of("Authorization", "Bearer " + READ_TOKEN);
        assertThat(Http.get(url("/api/endpoints"), reader).statusCode()).isEqualTo(200);
        assertThat(Http.get(url("/api/dead-letters"), reader).statusCode()).isEqualTo(200);
        assertThat(Http.get(url("/actuator/prometheus"), reader).statusCode()).isEqualTo(200);
        List<Call> changes = apiCalls().stream().filter(c -> !c.method().equals("GET")).toList();
        assertThat(changes).isNotEmpty();
        for (Call change : changes) {
            assertThat(call(change, reader).statusCode()).as(change.toString()).isEqualTo(403);
        }
        assertProblem(call(changes.get(0), reader), 403, "forbidden");
        assertThat(Http.json("POST", url("/actuator/jolokia"), "{\"type\":\"version\"}", reader).statusCode())
                .as("Jolokia can invoke operations: admin only").isEqualTo(403);
        assertThat(Http.get(url("/actuator/hawtio/"), reader).statusCode()).isEqualTo(403);
    }

    @Test
    void anAdminTokenChangesThingsWithoutCsrfTokenButTheAdminPasswordNeedsIt() throws Exception {
        Map<String, String> token = Map.of("Authorization", "Bearer " + ADMIN_TOKEN);
        createAndDelete(token);
        Map<String, String> basic = Http.basic("admin", Http.ADMIN_PASSWORD);
        HttpResponse<String> refused = Http.json("POST", url("/api/endpoints"), ENDPOINT, basic);
        assertThat(refused.statusCode()).as("Basic is ambient in a browser: no CSRF exemption").isEqualTo(403);
        assertProblem(refused, 403, "csrf-token");
        assertThat(refused.body()).contains("Authorization: Bearer");
        String csrf = cookie(Http.get(url("/api/endpoints"), basic), "XSRF-TOKEN");
        Map<String, String> withToken = new java.util.HashMap<>(basic);
        withToken.putAll(Map.of("Cookie", "XSRF-TOKEN=" + csrf, "X-XSRF-TOKEN", csrf));
        createAndDelete(withToken);
    }

    private static final String ENDPOINT = "{\"url\":\"http://127.0.0.1:9/hook\",\"eventTypes\":[\"issue.*\"]}";

    private void createAndDelete(Map<String, String> admin) throws Exception {
        HttpResponse<String> created = Http.json("POST", url("/api/endpoints"), ENDPOINT, admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asText();
        assertThat(Http.json("DELETE", url("/api/endpoints/" + id), null, admin).statusCode()).isEqualTo(204);
    }

    @Test
    void aSessionWithoutTheCsrfTokenCannotChangeAnything() {
        // a browser session is made by the login form; a cross-site request carries its cookie but not the token
        HttpResponse<String> form = Http.get(url("/login"));
        String csrf = cookie(form, "XSRF-TOKEN");
        HttpResponse<String> withoutToken = Http.post(url("/login"), ("username=admin&password="
                + Http.ADMIN_PASSWORD).getBytes(), Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(withoutToken.statusCode()).as("login form needs its CSRF token").isEqualTo(403);
        HttpResponse<String> login = Http.post(url("/login"), ("username=admin&password=" + Http.ADMIN_PASSWORD
                        + "&_csrf=" + csrf).getBytes(),
                Map.of("Content-Type", "application/x-www-form-urlencoded",
                        "Cookie", "XSRF-TOKEN=" + csrf));
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
        String loggedIn = cookie(login, "JSESSIONID");
        Map<String, String> cookies = Map.of("Cookie", "JSESSIONID=" + loggedIn + "; XSRF-TOKEN=" + csrf);
        assertThat(Http.get(url("/api/endpoints"), cookies).statusCode()).isEqualTo(200);
        String endpoint = "{\"url\":\"http://127.0.0.1:9/hook\",\"eventTypes\":[\"*\"]}";
        assertThat(Http.json("POST", url("/api/endpoints"), endpoint, cookies).statusCode()).isEqualTo(403);
        Map<String, String> withToken = Map.of("Cookie", cookies.get("Cookie"), "X-XSRF-TOKEN", csrf);
        HttpResponse<String> created = Http.json("POST", url("/api/endpoints"), endpoint, withToken);
        assertThat(created.statusCode()).as("the dashboard's way: cookie plus token header").isEqualTo(201);
    }

    @Test
    void webhookIngressNeedsNoCredentials() {
        byte[] body = "{\"action\":\"opened\",\"issue\":{\"id\":1}}".getBytes();
        HttpResponse<String> accepted = Http.post(url("/webhooks/github"), body, Map.of(
                "Content-Type", "application/json", "X-GitHub-Event", "issues",
                "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", Signing.github(GITHUB_SECRET, body)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    }

    @Test
    void hawtioIsServedToTheAdminAndJolokiaReadsACamelRouteMBean() throws Exception {
        webhookIngressNeedsNoCredentials();   // the ingress route has handled at least one exchange
        HttpResponse<String> hawtio = Http.get(url("/actuator/hawtio/"), Http.admin());
        assertThat(hawtio.statusCode()).isEqualTo(200);
        assertThat(hawtio.body()).containsIgnoringCase("hawtio");
        String read = "{\"type\":\"read\",\"mbean\":\"org.apache.camel:context=hooksync,type=routes,name=\\\"ingress\\\"\","
                + "\"attribute\":\"ExchangesTotal\"}";
        HttpResponse<String> jolokia = Http.json("POST", url("/actuator/jolokia"), read, Http.admin());
        assertThat(jolokia.statusCode()).as(jolokia.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(jolokia.body());
        assertThat(answer.get("status").asInt()).as(jolokia.body()).isEqualTo(200);
        assertThat(answer.get("value").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void prometheusHasCamelRouteMetricsAndHooksyncOwn() {
        webhookIngressNeedsNoCredentials();
        HttpResponse<String> metrics = Http.get(url("/actuator/prometheus"), Http.admin());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("camel_exchanges_total{", "routeId=\"ingress\"", "hooksync_ingress_accepted_total");
    }

    @Test
    void aCrossSiteChangeIsRefusedWhateverItsCredentials() throws Exception {
        String evil = "http://evil.example";
        Map<String, String> session = loggedInSession();
        List<Map<String, String>> credentials = List.of(Http.basic("admin", Http.ADMIN_PASSWORD),
                Map.of("Authorization", "Bearer " + ADMIN_TOKEN), session);
        for (Map<String, String> credential : credentials) {
            for (Map<String, String> crossSite : List.of(Map.of("Origin", evil), Map.of("Sec-Fetch-Site", "cross-site"),
                    Map.of("Origin", "http://127.0.0.1:" + (port + 1)), Map.of("Origin", "null"))) {
                Map<String, String> headers = new java.util.HashMap<>(credential);
                headers.putAll(crossSite);
                for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
                    HttpResponse<String> refused = Http.json(method, url("/api/endpoints/x1"), "{}", headers);
                    assertProblem(refused, 403, "cross-site-request");
                }
            }
        }
        Map<String, String> sameOrigin = Map.of("Authorization", "Bearer " + ADMIN_TOKEN,
                "Origin", "http://127.0.0.1:" + port, "Sec-Fetch-Site", "same-origin");
        createAndDelete(sameOrigin);
        Map<String, String> dashboard = new java.util.HashMap<>(session);
        dashboard.putAll(Map.of("Origin", "http://127.0.0.1:" + port, "Sec-Fetch-Site", "same-origin"));
        createAndDelete(dashboard);
        HttpResponse<String> login = Http.post(url("/login"), "username=admin&password=x".getBytes(),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Origin", evil));
        assertProblem(login, 403, "cross-site-request");
    }

    @Test
    void aBrowserNeverGetsTheBasicChallenge() throws Exception {
        HttpResponse<String> navigation = Http.get(url("/api/endpoints"), Map.of("Sec-Fetch-Mode", "navigate"));
        assertThat(navigation.statusCode()).isEqualTo(302);
        assertThat(navigation.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        assertThat(navigation.headers().firstValue("WWW-Authenticate")).isEmpty();
        HttpResponse<String> fetch = Http.get(url("/actuator/prometheus"), Map.of("Sec-Fetch-Mode", "cors"));
        assertProblem(fetch, 401, "unauthorized");
        assertThat(fetch.headers().firstValue("WWW-Authenticate")).as("a script of a page").isEmpty();
        HttpResponse<String> script = Http.get(url("/api/endpoints"));
        assertThat(script.statusCode()).isEqualTo(401);
        assertThat(script.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"hooksync\"");
    }

    @Test
    void aStrangersScriptGetsA401ProblemSayingWhichCredentialsWork() throws Exception {
        for (Map<String, String> stranger : List.of(Map.<String, String>of(), Http.basic("admin", "wrong-password"),
                Map.of("Authorization", "Bearer not-a-configured-token"))) {
            HttpResponse<String> response = Http.get(url("/api/endpoints"), stranger);
            assertProblem(response, 401, "unauthorized");
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.get("title").asText()).isEqualTo("Unauthorized");
            assertThat(problem.get("instance").asText()).isEqualTo("/api/endpoints");
            assertThat(problem.get("detail").asText()).as(stranger.keySet().toString())
                    .contains("Authorization: Bearer <token>", "HTTP Basic")
                    .startsWith(stranger.isEmpty() ? "this needs" : "the credentials were not accepted");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"hooksync\"");
        }
    }

    /** A sender's typo (/webhook for /webhooks) or curl on a page: no redirect to a login form it cannot use. */
    @Test
    void aMistypedWebhookPathGetsA401ProblemNamingTheIngressNotARedirect() throws Exception {
        List<HttpResponse<String>> answers = List.of(
                Http.json("POST", url("/webhook/github"), "{}", Map.of("Accept", "application/json")),
                Http.json("POST", url("/webhook/github"), "{}", Map.of("Accept", "*/*")),
                Http.get(url("/"), Map.of("Accept", "*/*")),
                Http.get(url("/no-such-page")));
        for (HttpResponse<String> answer : answers) {
            String what = answer.request().method() + " " + answer.uri().getPath();
            assertProblem(answer, 401, "unauthorized");
            assertThat(answer.headers().firstValue("Location")).as(what).isEmpty();
            assertThat(answer.headers().firstValue("WWW-Authenticate")).as(what).isEmpty();
            assertThat(answer.headers().allValues("Set-Cookie")).as("no session for " + what)
                    .noneMatch(c -> c.startsWith("JSESSIONID"));
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.get("instance").asText()).isEqualTo(answer.uri().getPath());
            assertThat(problem.get("detail").asText()).as(what)
                    .contains("Authorization: Bearer", "webhooks are received at POST /webhooks/{source}");
        }
    }

    @Test
    void aBrowserNavigationStillGoesToTheLoginForm() {
        for (Map<String, String> navigation : List.of(Map.of("Sec-Fetch-Mode", "navigate", "Accept", "*/*"),
                Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"))) {
            for (String path : List.of("/", "/webhook/github", "/api/endpoints")) {
                HttpResponse<String> response = Http.get(url(path), navigation);
                assertThat(response.statusCode()).as(path + " " + navigation).isEqualTo(302);
                assertThat(response.headers().firstValue("Location")).as(path + " " + navigation)
                        .hasValueSatisfying(location -> assertThat(location).endsWith("/login"));
                assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
            }
        }
    }

    @Test
    void pagesApiAnswersAndTheLoginPageCarryTheSecurityHeaders() {
        Map<String, String> admin = Map.of("Authorization", "Bearer " + ADMIN_TOKEN);
        List<HttpResponse<String>> answers = List.of(Http.get(url("/"), admin), Http.get(url("/index.html"), admin),
                Http.get(url("/dashboard.js"), admin), Http.get(url("/api/endpoints"), admin), Http.get(url("/login")),
                Http.get(url("/api/endpoints")), Http.get(url("/webhook/github")), Http.get(url("/actuator/health")),
                Http.json("POST", url("/api/endpoints"), "{", admin));
        for (HttpResponse<String> answer : answers) {
            String what = answer.request().method() + " " + answer.uri().getPath() + " " + answer.statusCode();
            assertThat(answer.headers().allValues("Content-Security-Policy")).as(what).containsExactly(SecurityHeaders.POLICY);
            assertThat(answer.headers().firstValue("Referrer-Policy")).as(what).hasValue("same-origin");
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
            assertThat(answer.headers().firstValue("X-Frame-Options")).as(what).hasValue("SAMEORIGIN");
        }
        assertThat(SecurityHeaders.POLICY).contains("script-src 'self';", "style-src 'self';", "frame-ancestors 'self'")
                .doesNotContain("unsafe");
        HttpResponse<String> page = Http.get(url("/"), admin);
        assertThat(page.body()).as("no inline script or style in the dashboard").doesNotContain("<script>", "<style", "style=",
                "onclick=");
        HttpResponse<String> hawtio = Http.get(url("/actuator/hawtio/"), admin);
        assertThat(hawtio.headers().allValues("Content-Security-Policy")).as("Hawtio sends its own policy, only it")
                .hasSize(1).doesNotContain(SecurityHeaders.POLICY);
        assertThat(hawtio.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void theSessionCookieIsStrictSameSiteAndHttpOnly() {
        HttpResponse<String> form = Http.get(url("/login"));
        String csrf = cookie(form, "XSRF-TOKEN");
        assertThat(setCookie(form, "XSRF-TOKEN")).contains("SameSite=Strict").doesNotContain("Secure");
        HttpResponse<String> login = Http.post(url("/login"), ("username=admin&password=" + Http.ADMIN_PASSWORD
                + "&_csrf=" + csrf).getBytes(), Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Cookie", "XSRF-TOKEN=" + csrf));
        assertThat(setCookie(login, "JSESSIONID")).contains("HttpOnly", "SameSite=Strict")
                .as("plain HTTP: Secure would lose the cookie").doesNotContain("Secure");
    }

    @Test
    void jolokiaAnswersOnlyItsOwnOriginAndRefusesCodeLoadingOperations() throws Exception {
        Map<String, String> admin = Map.of("Authorization", "Bearer " + ADMIN_TOKEN);
        for (Map<String, String> crossSite : List.of(Map.of("Origin", "http://evil.example"),
                Map.of("Sec-Fetch-Site", "cross-site"))) {
            Map<String, String> headers = new java.util.HashMap<>(admin);
            headers.putAll(crossSite);
            assertProblem(Http.get(url("/actuator/jolokia/version"), headers), 403, "cross-site-request");
            assertProblem(Http.get(url("/actuator/jolokia/exec/java.lang:type=Memory/gc"), headers), 403,
                    "cross-site-request");
            assertProblem(Http.json("POST", url("/actuator/jolokia"), "{\"type\":\"version\"}", headers), 403,
                    "cross-site-request");
        }
        Map<String, String> sameOrigin = new java.util.HashMap<>(admin);
        sameOrigin.put("Origin", "http://127.0.0.1:" + port);
        HttpResponse<String> version = Http.json("POST", url("/actuator/jolokia"), "{\"type\":\"version\"}", sameOrigin);
        assertThat(version.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(version.body()).get("status").asInt()).isEqualTo(200);
        assertThat(version.headers().firstValue("Access-Control-Allow-Origin"))
                .as("the shipped policy grants CORS to no origin").isEmpty();
        String load = "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                + "\"operation\":\"vmSystemProperties\"}";
        JsonNode denied = JSON.readTree(Http.json("POST", url("/actuator/jolokia"), load, admin).body());
        assertThat(denied.get("status").asInt()).as(denied.toString()).isEqualTo(403);
    }

    @Test
    void anonymousHealthIsOnlyTheStatusAndALoggedInCallerSeesTheDetails() throws Exception {
        JsonNode anonymous = JSON.readTree(Http.get(url("/actuator/health")).body());
        assertThat(anonymous.get("status").asText()).isEqualTo("UP");
        assertThat(anonymous.has("components")).as(anonymous.toString()).isFalse();
        assertThat(Http.get(url("/actuator/health/db")).statusCode()).as("no component by name either").isEqualTo(404);
        for (Map<String, String> reader : List.of(Map.of("Authorization", "Bearer " + READ_TOKEN),
                Http.basic("admin", Http.ADMIN_PASSWORD))) {
            JsonNode health = JSON.readTree(Http.get(url("/actuator/health"), reader).body());
            assertThat(health.at("/components/kafka/details/bootstrapServers").asText()).as(health.toString())
                    .startsWith("127.0.0.1:");
            assertThat(health.at("/components/db/status").asText()).isEqualTo("UP");
        }
    }

    private Map<String, String> loggedInSession() {
        HttpResponse<String> form = Http.get(url("/login"));
        String csrf = cookie(form, "XSRF-TOKEN");
        HttpResponse<String> login = Http.post(url("/login"), ("username=admin&password=" + Http.ADMIN_PASSWORD
                + "&_csrf=" + csrf).getBytes(), Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Cookie", "XSRF-TOKEN=" + csrf));
        assertThat(login.statusCode()).isEqualTo(302);
        return Map.of("Cookie", "JSESSIONID=" + cookie(login, "JSESSIONID") + "; XSRF-TOKEN=" + csrf,
                "X-XSRF-TOKEN", csrf);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String reason) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo("urn:hooksync:problem:" + reason);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private static String setCookie(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no cookie " + name + " in " + response.headers().map()));
    }

    private static String cookie(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
                .filter(v -> !v.isEmpty()).findFirst()
                .orElseThrow(() -> new AssertionError("no cookie " + name + " in " + response.headers().map()));
    }
}
