package io.hooksync.management;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** What counts as cross-site: Origin against the request's own scheme, host and port; else Sec-Fetch-Site. */
class SameOriginFilterTest {

    private static MockHttpServletRequest request(String scheme, String host, int port) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/endpoints");
        request.setScheme(scheme);
        request.setServerName(host);
        request.setServerPort(port);
        return request;
    }

    private static String refusal(MockHttpServletRequest request, String header, String value) {
        request.addHeader(header, value);
        return SameOriginFilter.refusal(request);
    }

    @Test
    void theOwnOriginPassesWithDefaultPortsAndAnyCase() {
        assertThat(refusal(request("https", "hooks.example.com", 443), "Origin", "https://HOOKS.example.com")).isNull();
        assertThat(refusal(request("http", "127.0.0.1", 8080), "Origin", "http://127.0.0.1:8080")).isNull();
        assertThat(refusal(request("http", "localhost", 80), "Origin", "http://localhost:80")).isNull();
    }

    @Test
    void anotherSchemeHostOrPortIsCrossSite() {
        assertThat(refusal(request("https", "hooks.example.com", 443), "Origin", "http://hooks.example.com"))
                .contains("is not this server's origin https://hooks.example.com:443");
        assertThat(refusal(request("https", "hooks.example.com", 443), "Origin", "https://evil.example.com")).isNotNull();
        assertThat(refusal(request("http", "127.0.0.1", 8080), "Origin", "http://127.0.0.1:8081")).isNotNull();
        assertThat(refusal(request("http", "127.0.0.1", 8080), "Origin", "null")).isNotNull();
        assertThat(refusal(request("http", "127.0.0.1", 8080), "Origin", "http://127.0.0.1:8080/path")).isNotNull();
        assertThat(refusal(request("http", "127.0.0.1", 8080), "Origin", "http://a b")).isNotNull();
    }

    @Test
    void withoutOriginSecFetchSiteDecidesAndWithNeitherTheRequestPasses() {
        assertThat(refusal(request("http", "h", 80), "Sec-Fetch-Site", "cross-site")).contains("Sec-Fetch-Site");
        assertThat(refusal(request("http", "h", 80), "Sec-Fetch-Site", "same-site")).isNotNull();
        assertThat(refusal(request("http", "h", 80), "Sec-Fetch-Site", "same-origin")).isNull();
        assertThat(refusal(request("http", "h", 80), "Sec-Fetch-Site", "none")).isNull();
        assertThat(SameOriginFilter.refusal(request("http", "h", 80))).as("curl, scripts").isNull();
    }

    @Test
    void aControlCharacterInTheOriginIsNotEchoed() {
        assertThat(refusal(request("http", "h", 80), "Origin", "http://evil\u001b[31m")).doesNotContain("\u001b");
    }
}
