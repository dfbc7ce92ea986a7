package io.hooksync.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What logs and read-only callers see of a receiver URL: its origin only. */
class ReceiverUrlsTest {

    @Test
    void pathQueryFragmentAndUserinfoAreDropped() {
        assertThat(ReceiverUrls.origin("https://user:pa55@hooks.example.com:8443/in/t0ken?key=s3cret#frag"))
                .isEqualTo("https://hooks.example.com:8443");
        assertThat(ReceiverUrls.origin("HTTPS://hooks.example.com/T0KEN")).isEqualTo("https://hooks.example.com");
        assertThat(ReceiverUrls.origin("http://127.0.0.1:9000")).isEqualTo("http://127.0.0.1:9000");
        assertThat(ReceiverUrls.origin("http://[::1]:9000/x?y")).isEqualTo("http://[::1]:9000");
    }

    @Test
    void whatIsNotAUrlIsNotEchoed() {
        assertThat(ReceiverUrls.origin("not a url /t0ken?key=s3cret")).isEqualTo(ReceiverUrls.UNREADABLE);
        assertThat(ReceiverUrls.origin("/relative/t0ken")).isEqualTo(ReceiverUrls.UNREADABLE);
        assertThat(ReceiverUrls.origin("mailto:ops@example.com")).isEqualTo(ReceiverUrls.UNREADABLE);
        assertThat(ReceiverUrls.origin(null)).isNull();
    }
}
