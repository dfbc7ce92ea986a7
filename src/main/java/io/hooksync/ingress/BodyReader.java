package io.hooksync.ingress;

import java.io.IOException;
import java.util.Arrays;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

/**
 * Reads a request body with the servlet's non-blocking I/O, so a slow upload holds no thread, into one buffer
 * that never grows past {@code limit} + 1 bytes: a declared length is allocated once, a chunked body grows by
 * doubling up to the limit. Past the limit it stops reading and reports {@link Listener#tooLarge()}.
 */
final class BodyReader implements ReadListener {

    /** Where the body goes; exactly one of the three is called, once. */
    interface Listener {
        void body(byte[] body);

        void tooLarge();

        void failed(Throwable error);
    }

    private final ServletInputStream in;
    private final long capacity;
    private final Listener listener;
    private byte[] buffer;
    private int size;
    private boolean finished;

    BodyReader(ServletInputStream in, long declaredLength, long limit, Listener listener) {
        this.in = in;
        this.capacity = limit + 1;   // room for one byte over the limit: reading it proves the body too large
        this.listener = listener;
        this.buffer = new byte[(int) Math.min(capacity, declaredLength >= 0 ? declaredLength + 1 : 8192)];
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!finished && in.isReady()) {
            if (size == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(capacity, 2L * buffer.length));
            }
            int n = in.read(buffer, size, buffer.length - size);
            if (n < 0) {
                return;   // onAllDataRead follows
            }
            size += n;
            if (size >= capacity) {
                finished = true;
                listener.tooLarge();
            }
        }
    }

    @Override
    public void onAllDataRead() {
        if (!finished) {
            finished = true;
            listener.body(Arrays.copyOf(buffer, size));
        }
    }

    @Override
    public void onError(Throwable error) {
        if (!finished) {
            finished = true;
            listener.failed(error);
        }
    }
}
