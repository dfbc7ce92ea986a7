package io.hooksync.management;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** Which unauthenticated requests are page loads (redirected to the login form) and which are not. */
class BrowserRequestsTest {

    private static MockHttpServletRequest request(String header, String value) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/deliveries");
        request.addHeader(header, value);
        return request;
    }

    @Test
    void aPageLoadIsToldByFetchModeOrByAnAcceptNamingHtmlInAnyCase() {
        assertThat(BrowserRequests.NAVIGATION.matches(request("Sec-Fetch-Mode", "navigate"))).isTrue();
        assertThat(BrowserRequests.NAVIGATION.matches(request("Sec-Fetch-Mode", "cors"))).isFalse();
        assertThat(BrowserRequests.NAVIGATION.matches(request("Accept", "text/html,application/xhtml+xml"))).isTrue();
        assertThat(BrowserRequests.NAVIGATION.matches(request("Accept", "Text/HTML"))).isTrue();
        assertThat(BrowserRequests.NAVIGATION.matches(request("Accept", "*/*"))).isFalse();
        assertThat(BrowserRequests.NAVIGATION.matches(request("Accept", "application/json"))).isFalse();
    }
}
