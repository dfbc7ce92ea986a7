package io.hooksync.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files from outside are read only when regular and within their bound. */
class BoundedFilesTest {

    @TempDir
    Path dir;

    @Test
    void aFileUpToItsBoundIsRead() throws IOException {
        Path file = Files.write(dir.resolve("ok.yaml"), new byte[16]);
        assertThat(BoundedFiles.readBytes(file, 16)).hasSize(16);
        assertThat(BoundedFiles.readString(Files.writeString(dir.resolve("t.yaml"), "héllo"), 16)).isEqualTo("héllo");
    }

    @Test
    void aFileOverItsBoundIsRefusedWithItsSize() throws IOException {
        Path file = Files.write(dir.resolve("big.yaml"), new byte[17]);
        assertThatThrownBy(() -> BoundedFiles.readBytes(file, 16)).isInstanceOf(BoundedFiles.RefusedFileException.class)
                .hasMessage("17 bytes, more than the 16 read at most");
    }

    /** A device reports no size; the read stops past the bound instead of filling the heap. */
    @Test
    void aDeviceOrADirectoryIsNotRead() {
        assertThatThrownBy(() -> BoundedFiles.readBytes(Path.of("/dev/zero"), 16))
                .isInstanceOf(BoundedFiles.RefusedFileException.class).hasMessage("not a regular file");
        assertThatThrownBy(() -> BoundedFiles.readBytes(dir, 16))
                .isInstanceOf(BoundedFiles.RefusedFileException.class).hasMessage("not a regular file");
    }

    @Test
    void textThatIsNotUtf8IsRefusedSayingSo() throws IOException {
        Path file = Files.write(dir.resolve("bin.yaml"), new byte[] {'a', (byte) 0xC3, '(', 0});
        assertThatThrownBy(() -> BoundedFiles.readString(file, 16)).isInstanceOf(BoundedFiles.RefusedFileException.class)
                .hasMessage("not UTF-8 text (a binary file?)");
    }

    @Test
    void aMissingFileIsNotARefusal() {
        assertThatThrownBy(() -> BoundedFiles.readBytes(dir.resolve("gone.yaml"), 16))
                .isInstanceOf(NoSuchFileException.class);
    }
}
