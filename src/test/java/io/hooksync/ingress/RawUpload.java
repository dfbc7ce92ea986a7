package io.hooksync.ingress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile client on a plain socket: sends a request line and headers, then streams a chunked body of
 * {@code total} bytes from another thread while the main thread waits for the answer. It reports the status
 * line and how many body bytes it managed to write before the server answered or closed, which shows whether
 * the server read the body.
 */
final class RawUpload {

    record Result(int status, String head, long bytesWritten) {
    }

    private RawUpload() {
    }

    static Result chunked(int port, String method, String path, String extraHeaders, long total) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + extraHeaders + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> writeChunks(out, total, written), "raw-upload-writer");
            writer.setDaemon(true);
            writer.start();
            String head = readHead(socket.getInputStream());
            long atAnswer = written.get();
            socket.close();
            writer.join(10_000);
            int status = head.length() >= 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
            return new Result(status, head, atAnswer);
        }
    }

    private static void writeChunks(OutputStream out, long total, AtomicLong written) {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
            while (written.get() < total) {
                out.write(size);
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                written.addAndGet(chunk.length);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException closed) {
            // the server answered and closed: that is the point
        }
    }

    /** Status line and headers (up to the blank line), or what arrived before the connection closed. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
