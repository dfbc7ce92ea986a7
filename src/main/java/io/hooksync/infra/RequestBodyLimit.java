package io.hooksync.infra;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps every request body outside the ingress (which bounds its own per source) at {@code hooksync.http.max-body}:
 * a larger Content-Length gets 413 problem+json before anything reads it; a chunked body is cut off with an
 * {@link IOException} once it passes the limit, which the reader (Jackson in Spring MVC) turns into a 400.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpProperties.class)
class RequestBodyLimit {

    @Bean
    FilterRegistrationBean<LimitFilter> requestBodyLimitFilter(HttpProperties properties) {
        FilterRegistrationBean<LimitFilter> registration =
                new FilterRegistrationBean<>(new LimitFilter(properties.maxBody().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);   // after the ingress filter, before security
        registration.setAsyncSupported(true);
        return registration;
    }

    static final class LimitFilter extends OncePerRequestFilter {
        private final long limit;

        LimitFilter(long limit) {
            this.limit = limit;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getContentLengthLong() > limit) {
                response.setHeader("Connection", "close");
                ProblemResponses.write(response, 413, "body-too-large", "Content too large",
                        "request bodies are limited to " + limit + " bytes (hooksync.http.max-body)");
                return;
            }
            chain.doFilter(request.getContentLengthLong() < 0 && request.getHeader("Transfer-Encoding") != null
                    ? new Capped(request, limit) : request, response);
        }
    }

    /** A request whose body stream fails once more than {@code limit} bytes were read from it. */
    private static final class Capped extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream capped;

        Capped(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (capped == null) {
                ServletInputStream in = super.getInputStream();
                capped = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        count(b < 0 ? 0 : 1);
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int off, int len) throws IOException {
                        int n = in.read(buffer, off, len);
                        count(Math.max(n, 0));
                        return n;
                    }

                    private void count(int n) throws IOException {
                        read += n;
                        if (read > limit) {
                            throw new IOException("request body over " + limit + " bytes (hooksync.http.max-body)");
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return capped;
        }
    }
}
