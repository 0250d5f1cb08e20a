package io.zkpfl.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {

    @TempDir
    Path dir;

    /** Two 2x3 images written byte by byte from the IDX specification. */
    private static final byte[] TWO_IMAGES = {
        0, 0, 8, 3,
        0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3,
        1, 2, 3, 4, 5, 6,
        (byte) 250, (byte) 251, (byte) 252, (byte) 253, (byte) 254, (byte) 255};
    private static final byte[] TWO_LABELS = {0, 0, 8, 1, 0, 0, 0, 2, 7, 3};

    @Test
    void readsHandWrittenFilesPlainAndGzipped() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), TWO_IMAGES);
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(TWO_LABELS));
        LabelledImages data = new DatasetFolder(dir).train();
        assertEquals(2, data.count());
        assertEquals(2, data.rows());
        assertEquals(3, data.cols());
        assertArrayEquals(Arrays.copyOfRange(TWO_IMAGES, 16, 28), data.pixels());
        assertEquals(7, data.label(0));
        assertEquals(3, data.label(1));
        assertEquals(255, data.pixels()[11] & 0xff);
    }

    @Test
    void writerProducesTheSpecifiedBytes() throws IOException {
        Path plain = dir.resolve("x-images-idx3-ubyte");
        IdxFile.writeImages(plain, 2, 2, 3, Arrays.copyOfRange(TWO_IMAGES, 16, 28));
        assertArrayEquals(TWO_IMAGES, Files.readAllBytes(plain));
        Path gz = dir.resolve("x-labels-idx1-ubyte.gz");
        IdxFile.writeLabels(gz, new byte[] {7, 3});
        byte[] raw = Files.readAllBytes(gz);
        assertEquals(0x1f, raw[0] & 0xff, "gzip magic");
        assertArrayEquals(new byte[] {7, 3}, IdxFile.readLabels(gz));
    }

    @Test
    void missingFilesNameTheExpectedFiles() {
        DatasetException e = assertThrows(DatasetException.class, () -> new DatasetFolder(dir).train());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte(.gz)"), e.getMessage());
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte(.gz)"), e.getMessage());
        DatasetException test = assertThrows(DatasetException.class, () -> new DatasetFolder(dir).test());
        assertTrue(test.getMessage().contains("t10k-images-idx3-ubyte(.gz)"), test.getMessage());
        DatasetException none = assertThrows(DatasetException.class, () -> new DatasetFolder(dir.resolve("nope")).train());
        assertTrue(none.getMessage().contains("does not exist"), none.getMessage());
    }

    @Test
    void rejectsMalformedFiles() throws IOException {
        assertRejected(new byte[] {1, 2, 3, 4, 0, 0, 0, 1, 0}, 3, "magic");
        assertRejected(new byte[] {0, 0, 0x0D, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1}, 3, "0xd");
        assertRejected(TWO_LABELS, 3, "expected 3 dimension");
        assertRejected(Arrays.copyOf(TWO_IMAGES, 20), 3, "truncated");
        assertRejected(Arrays.copyOf(TWO_IMAGES, 29), 3, "trailing");
        assertRejected(new byte[] {0, 0, 8, 3, 0, 0, 0, 1}, 3, "truncated IDX header");
        assertRejected(new byte[] {0, 0, 8, 3, 0x7f, 0, 0, 0, 0, 0, 0x7f, 0, 0, 0, 0x7f, 0}, 3, "more than");
        assertRejected(new byte[] {0, 0, 8, 3, (byte) 0xff, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1}, 3, "invalid size");
        byte[] corruptGzip = gzip(TWO_IMAGES);
        corruptGzip = Arrays.copyOf(corruptGzip, corruptGzip.length - 12);
        assertRejected(corruptGzip, 3, "");
    }

    @Test
    void rejectsImageAndLabelCountsThatDisagree() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), TWO_IMAGES);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 7});
        DatasetException e = assertThrows(DatasetException.class, () -> new DatasetFolder(dir).train());
        assertTrue(e.getMessage().contains("2 images but"), e.getMessage());
    }

    @Test
    void readsTheInstalledFashionMnistWithItsPublishedSizes() {
        assertTrue(new DatasetFolder(DatasetFolder.FASHION_MNIST).has("train"),
                "Fashion-MNIST is missing: apt-get install dataset-fashion-mnist (installed by .ci/run)");
        LabelledImages test = new DatasetFolder(DatasetFolder.FASHION_MNIST).test();
        assertEquals(10_000, test.count());
        assertEquals(28, test.rows());
        assertEquals(28, test.cols());
        // The Fashion-MNIST README: 1,000 test images per class (6,000 per class in training).
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, test.histogram(10));
    }

    private void assertRejected(byte[] content, int dims, String fragment) throws IOException {
        Path f = dir.resolve("bad-" + System.nanoTime());
        Files.write(f, content);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFile.readImages(f));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().contains(f.getFileName().toString()), "names the file: " + e.getMessage());
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }
}
