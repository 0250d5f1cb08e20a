package io.zkpfl.devstack.ipfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A streaming {@code multipart/form-data} reader (RFC 7578): parts are read one after the other without
 * buffering a whole part. Malformed input raises {@link MalformedMultipartException}.
 */
final class MultipartStream {

    private static final int MAX_HEADER_BYTES = 16 * 1024;

    /** The body does not follow the multipart grammar. */
    static final class MalformedMultipartException extends IOException {
        MalformedMultipartException(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf;
    private int start;
    private int end;
    private boolean eof;
    private boolean finished;

    MultipartStream(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[Math.max(64 * 1024, delimiter.length * 4)];
        // a virtual CRLF in front lets the first boundary match like every later one
        buf[0] = '\r';
        buf[1] = '\n';
        end = 2;
    }

    /** Extracts the boundary from a {@code multipart/form-data} content type, or {@code null}. */
    static String boundaryOf(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring("boundary=".length());
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                return b.isEmpty() || b.length() > 70 ? null : b;
            }
        }
        return null;
    }

    /**
     * Skips the rest of the current part (or the preamble) and returns the next part's headers (names in
     * lower case), or {@code null} after the closing boundary.
     */
    Map<String, String> nextPart() throws IOException {
        if (finished) {
            return null;
        }
        byte[] skip = new byte[8192];
        while (readPart(skip, 0, skip.length) >= 0) {
            // discard
        }
        start += delimiter.length;
        int a = readByte();
        int b = readByte();
        if (a == '-' && b == '-') {
            finished = true;
            return null;
        }
        while (a == ' ' || a == '\t') {
            a = b;
            b = readByte();
        }
        if (a != '\r' || b != '\n') {
            throw new MalformedMultipartException("malformed multipart boundary line");
        }
        return readHeaders();
    }

    /** The body of the current part; ends (returns -1) at the next boundary. */
    InputStream partBody() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                return readPart(b, off, len);
            }
        };
    }

    private int readPart(byte[] out, int off, int len) throws IOException {
        while (true) {
            fill(delimiter.length);
            int found = indexOfDelimiter();
            if (found == start) {
                return -1;
            }
            int available = found >= 0 ? found - start : (eof ? end - start : end - start - (delimiter.length - 1));
            if (available > 0) {
                int n = Math.min(len, available);
                System.arraycopy(buf, start, out, off, n);
                start += n;
                return n;
            }
            if (eof) {
                throw new MalformedMultipartException("multipart body ended without its closing boundary");
            }
        }
    }

    private int indexOfDelimiter() {
        int last = end - delimiter.length;
        outer:
        for (int i = start; i <= last; i++) {
            if (buf[i] != '\r') {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Ensures at least {@code want} unread bytes are buffered, unless the input ended. */
    private void fill(int want) throws IOException {
        if (end - start >= want || eof) {
            if (end - start < want && start > 0) {
                compact();
            }
            return;
        }
        compact();
        while (end - start < Math.max(want, buf.length / 2) && end < buf.length) {
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                eof = true;
                return;
            }
            end += n;
            if (end - start >= want) {
                return;
            }
        }
    }

    private void compact() {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
    }

    private int readByte() throws IOException {
        fill(1);
        if (start >= end) {
            throw new MalformedMultipartException("multipart body ended inside a boundary");
        }
        return buf[start++] & 0xff;
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        StringBuilder line = new StringBuilder();
        int total = 0;
        while (true) {
            int c = readByte();
            if (++total > MAX_HEADER_BYTES) {
                throw new MalformedMultipartException("multipart part headers exceed " + MAX_HEADER_BYTES + " bytes");
            }
            if (c == '\r') {
                if (readByte() != '\n') {
                    throw new MalformedMultipartException("malformed multipart header line");
                }
                if (line.isEmpty()) {
                    return headers;
                }
                String h = line.toString();
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    throw new MalformedMultipartException("malformed multipart header line");
                }
                headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
    }

    /** A parameter such as {@code filename} from a {@code Content-Disposition} value, or {@code null}. */
    static String dispositionParam(String disposition, String name) {
        if (disposition == null) {
            return null;
        }
        for (String part : disposition.split(";")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase(name)) {
                String v = p.substring(eq + 1).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
        }
        return null;
    }
}
