package io.zkpfl.devstack.ipfs;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MultipartStreamTest {

    private static final String BOUNDARY = "----zkpflBoundary7MA4YWxkTrZu0gW";

    /** Delivers the bytes in randomly sized reads, so boundaries straddle read and buffer edges. */
    private static InputStream trickle(byte[] data, long seed) {
        Random rnd = new Random(seed);
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + rnd.nextInt(97)));
            }
        };
    }

    private static byte[] body(byte[]... files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("preamble to ignore\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < files.length; i++) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f" + i
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(files[i]);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\nepilogue").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static List<byte[]> parse(byte[] body, long seed) throws IOException {
        MultipartStream m = new MultipartStream(trickle(body, seed), BOUNDARY);
        List<byte[]> parts = new ArrayList<>();
        Map<String, String> headers;
        while ((headers = m.nextPart()) != null) {
            assertEquals("f" + parts.size(),
                    MultipartStream.dispositionParam(headers.get("content-disposition"), "filename"));
            parts.add(m.partBody().readAllBytes());
        }
        return parts;
    }

    @Test
    void partsSurviveArbitraryReadSizesIncludingBoundaryLookalikes() throws IOException {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 40; trial++) {
            byte[] a = new byte[rnd.nextInt(200_000)];
            rnd.nextBytes(a);
            // content that contains a CRLF and a prefix of the delimiter, but not the delimiter itself
            byte[] b = ("x\r\n--" + BOUNDARY.substring(0, 10) + "y\r\n\r\n--").getBytes(StandardCharsets.US_ASCII);
            byte[] empty = new byte[0];
            List<byte[]> parts = parse(body(a, b, empty), trial);
            assertEquals(3, parts.size());
            assertArrayEquals(a, parts.get(0));
            assertArrayEquals(b, parts.get(1));
            assertArrayEquals(empty, parts.get(2));
        }
    }

    @Test
    void truncatedBodyIsMalformed() {
        byte[] full = body("hello".getBytes(StandardCharsets.US_ASCII));
        for (int cut : new int[] {0, 10, 60, full.length - 20, full.length - 13, full.length - 12}) {
            byte[] truncated = java.util.Arrays.copyOf(full, cut);
            assertThrows(MultipartStream.MalformedMultipartException.class, () -> parse(truncated, cut));
        }
    }

    @Test
    void boundaryIsReadFromTheContentType() {
        assertEquals("abc", MultipartStream.boundaryOf("multipart/form-data; boundary=abc"));
        assertEquals("a b", MultipartStream.boundaryOf("multipart/form-data; charset=utf-8; boundary=\"a b\""));
        assertNull(MultipartStream.boundaryOf("application/json"));
        assertNull(MultipartStream.boundaryOf("multipart/form-data"));
        assertNull(MultipartStream.boundaryOf("multipart/form-data; boundary=" + "x".repeat(71)));
    }
}
