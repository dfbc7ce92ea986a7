package io.hooksync.ingress;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Enforces each source's body limit before anything reads the body: a declared Content-Length over
 * the limit gets 413 at once; a chunked body is read up to the limit and refused past it.
 */
class BodyLimitFilter extends OncePerRequestFilter {

    private final SourceRegistry sources;
    private final IngressMetrics metrics;
    private final String prefix;

    BodyLimitFilter(SourceRegistry sources, IngressMetrics metrics, String basePath) {
        this.sources = sources;
        this.metrics = metrics;
        this.prefix = basePath + "/";
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Source source = sources.find(IngressRoute.sourceName(request.getRequestURI(), prefix)).orElse(null);
        if (source == null || !"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        long started = System.nanoTime();
        long limit = source.maxBodyBytes();
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            refuse(source, request, response, started);
            return;
        }
        if (declared >= 0) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), limit);
        if (body == null) {
            refuse(source, request, response, started);
            return;
        }
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    private void refuse(Source source, HttpServletRequest request, HttpServletResponse response, long started)
            throws IOException {
        Rejection rejection = Rejection.tooLarge(source.maxBodyBytes());
        response.setStatus(rejection.status());
        response.setContentType(Problems.MEDIA_TYPE);
        response.setHeader("Connection", "close");
        response.getOutputStream().write(Problems.body(rejection, request.getRequestURI(), source.name()));
        metrics.rejected(source.name(), rejection.reason(), Duration.ofNanos(System.nanoTime() - started));
    }

    /** The body, or null when it is longer than {@code limit}. */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (out.size() + (long) n > limit) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** A request whose body was already read (chunked uploads) and is served from memory. */
    private static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }
            };
        }
    }
}
