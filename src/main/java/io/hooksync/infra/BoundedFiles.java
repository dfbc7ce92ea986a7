package io.hooksync.infra;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads files the engine is given (route and mapping files, secret files) without trusting their size: a file is
 * read only if it is a regular file, and never beyond its bound, so a stray dump or a device dropped into
 * {@code routes/} costs a refusal, not the heap; text must be UTF-8. The size is checked before reading and the read itself stops one
 * byte past the bound (a file growing while it is read is refused too).
 */
public final class BoundedFiles {

    /** Route and mapping files: far above any hand-written one, far below what parsing it would cost. */
    public static final int DEFINITION_MAX_BYTES = 1024 * 1024;

    /** Secret files: a key or a password, never a document. */
    public static final int SECRET_MAX_BYTES = 64 * 1024;

    private BoundedFiles() {
    }

    /** A file that is not read: larger than its bound, or not a regular file; the message says which. */
    public static final class RefusedFileException extends IOException {
        RefusedFileException(String message) {
            super(message);
        }
    }

    /** The file's bytes, at most {@code maxBytes} of them, or a {@link RefusedFileException} saying why not. */
    public static byte[] readBytes(Path file, int maxBytes) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw Files.exists(file) ? new RefusedFileException("not a regular file")
                    : new java.nio.file.NoSuchFileException(file.toString());
        }
        long size = Files.size(file);
        if (size > maxBytes) {
            throw tooLarge(size, maxBytes);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw tooLarge(Math.max(bytes.length, Files.size(file)), maxBytes);
            }
            return bytes;
        }
    }

    /** {@link #readBytes} as UTF-8 text; bytes that are not UTF-8 (a binary file) are a refusal saying so. */
    public static String readString(Path file, int maxBytes) throws IOException {
        byte[] bytes = readBytes(file, maxBytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new RefusedFileException("not UTF-8 text (a binary file?)");
        }
    }

    private static RefusedFileException tooLarge(long size, int maxBytes) {
        return new RefusedFileException(size + " bytes, more than the " + maxBytes + " read at most");
    }
}
