package io.zkpfl.protocol.ipfs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A client for the subset of Kubo's RPC API ({@code /api/v0}) zkPFL uses: {@code add}, {@code cat},
 * {@code block/get}, {@code pin/add} and {@code version}. Works against a real Kubo node and against
 * devstack's embedded store. Built on the JDK HTTP client; uploads and downloads are streamed.
 */
public final class KuboClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final URI base;
    private final HttpClient http;
    private final Duration requestTimeout;

    /**
     * Options of an {@code add}.
     *
     * @param cidVersion 0 (Kubo's default, {@code Qm…}) or 1 ({@code bafy…}/{@code bafk…}, raw leaves and 256 KiB
     *                   chunks, sent explicitly: the root is {@link Cid#ofFile} of the bytes)
     * @param pin        whether the node pins the content
     * @param fileName   the multipart file name (Kubo echoes it as {@code Name})
     */
    public record AddOptions(int cidVersion, boolean pin, String fileName) {
        public AddOptions {
            if (cidVersion != 0 && cidVersion != 1) {
                throw new IllegalArgumentException("unknown CID version " + cidVersion);
            }
            Objects.requireNonNull(fileName, "fileName");
        }

        /** Kubo's defaults: CIDv0, pinned. */
        public static AddOptions defaults() {
            return new AddOptions(0, true, "file");
        }

        /** A copy with another CID version. */
        public AddOptions withCidVersion(int version) {
            return new AddOptions(version, pin, fileName);
        }

        /** A copy with pinning on or off. */
        public AddOptions withPin(boolean p) {
            return new AddOptions(cidVersion, p, fileName);
        }
    }

    /**
     * The answer to an {@code add}.
     *
     * @param name the file name
     * @param cid  the root CID
     * @param size Kubo's {@code Size}: cumulative size of the DAG in bytes
     */
    public record AddResult(String name, Cid cid, long size) {
    }

    /**
     * A client for the node whose RPC API listens at {@code baseUrl} (e.g. {@code http://127.0.0.1:5001}).
     *
     * @param connectTimeout time to establish a connection
     * @param requestTimeout time until response headers arrive (bodies are streamed without limit)
     */
    public KuboClient(URI baseUrl, Duration connectTimeout, Duration requestTimeout) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String s = baseUrl.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** A client with a 5 s connect and 5 min request timeout. */
    public static KuboClient create(String baseUrl) {
        return new KuboClient(URI.create(baseUrl), Duration.ofSeconds(5), Duration.ofMinutes(5));
    }

    /** The API base URL. */
    public URI baseUrl() {
        return base;
    }

    /** Adds {@code data} with Kubo's defaults (CIDv0, pinned) and returns its CID. */
    public Cid add(byte[] data) throws IOException {
        return add(new ByteArrayInputStream(data), AddOptions.defaults()).cid();
    }

    /** Streams {@code data} (not closed here) to the node with Kubo's defaults and returns its CID. */
    public Cid add(InputStream data) throws IOException {
        return add(data, AddOptions.defaults()).cid();
    }

    /** Streams {@code data} (not closed here) to the node as one multipart file. */
    public AddResult add(InputStream data, AddOptions options) throws IOException {
        String boundary = "zkpfl-" + UUID.randomUUID();
        String safeName = options.fileName().replaceAll("[\"\\r\\n\\\\]", "_");
        byte[] head = ("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + safeName + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        InputStream body = new SequenceInputStream(Collections.enumeration(List.of(
                new ByteArrayInputStream(head), nonClosing(data), new ByteArrayInputStream(tail))));
        // CIDv1 names the layout explicitly (raw leaves, 256 KiB chunks), so a node whose Import.* configuration
        // differs from Kubo's defaults still returns the CID Cid.ofFile computes (ADR 0098)
        String layout = options.cidVersion() == 1
                ? "&raw-leaves=true&chunker=size-" + ImportOptions.DEFAULT_CHUNK_SIZE : "";
        HttpRequest request = request("add", "cid-version=" + options.cidVersion() + layout + "&pin=" + options.pin()
                + "&progress=false")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
                .build();
        JsonNode last = null;
        String text = sendForText(request);
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                JsonNode node = JSON.readTree(line);
                if (node.hasNonNull("Hash")) {
                    last = node;
                }
            }
        }
        if (last == null) {
            throw new KuboException(200, "add returned no Hash: " + abbreviate(text));
        }
        return new AddResult(last.path("Name").asText(""), Cid.parse(last.get("Hash").asText()),
                Long.parseLong(last.path("Size").asText("0")));
    }

    /**
     * Streams the file bytes under {@code cid} as the node returns them, without checking them; use
     * {@link #catVerified(Cid)} where the node is not trusted.
     */
    public InputStream cat(Cid cid) throws IOException {
        HttpRequest request = request("cat", "arg=" + enc(cid.toString())).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            try (InputStream err = response.body()) {
                throw error(response.statusCode(), new String(err.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8));
            }
        }
        return response.body();
    }

    /**
     * Streams the file bytes under {@code cid}, fetching the DAG block by block ({@code block/get}) and
     * checking every block against the hash that names it. Reading throws {@link ContentMismatchException}
     * when the node returns anything else, so no unverified byte is ever returned.
     */
    public InputStream catVerified(Cid cid) {
        return UnixFsReader.open(cid, this::blockGet);
    }

    /**
     * Reads and verifies the whole file under {@code cid} into memory.
     *
     * @throws IOException when it is larger than {@code maxBytes}, missing, or does not match the CID
     */
    public byte[] catVerifiedBytes(Cid cid, long maxBytes) throws IOException {
        try (InputStream in = catVerified(cid)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new IOException(cid + " is larger than " + maxBytes + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    /** The raw bytes of one block, or {@code null} when the node answers that it does not have it. */
    public byte[] blockGet(Cid cid) throws IOException {
        HttpRequest request = request("block/get", "arg=" + enc(cid.toString()))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 200) {
            return response.body();
        }
        KuboException e = error(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        if (e.getMessage().contains("not found")) {
            return null;
        }
        throw e;
    }

    /** Pins {@code cid} (recursively) on the node. */
    public void pin(Cid cid) throws IOException {
        JsonNode answer = JSON.readTree(sendForText(request("pin/add", "arg=" + enc(cid.toString()))
                .POST(HttpRequest.BodyPublishers.noBody()).build()));
        JsonNode pins = answer.path("Pins");
        if (!pins.isArray() || pins.isEmpty()) {
            throw new KuboException(200, "pin/add returned no pins for " + cid);
        }
    }

    /** The node's version string (Kubo's {@code Version}). */
    public String version() throws IOException {
        return JSON.readTree(sendForText(request("version", null).POST(HttpRequest.BodyPublishers.noBody()).build()))
                .path("Version").asText();
    }

    private HttpRequest.Builder request(String command, String query) {
        String uri = base + "/api/v0/" + command + (query == null ? "" : "?" + query);
        return HttpRequest.newBuilder(URI.create(uri)).timeout(requestTimeout);
    }

    private String sendForText(HttpRequest request) throws IOException {
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw error(response.statusCode(), response.body());
        }
        return response.body();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted calling " + request.uri().getPath(), e);
        }
    }

    private static KuboException error(int status, String body) {
        String message = abbreviate(body);
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("Message")) {
                message = node.get("Message").asText();
            }
        } catch (IOException notJson) {
            // keep the raw text
        }
        return new KuboException(status, message.isBlank() ? "HTTP " + status : message);
    }

    private static String abbreviate(String text) {
        String t = text == null ? "" : text.strip();
        return t.length() > 500 ? t.substring(0, 500) + "…" : t;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static InputStream nonClosing(InputStream in) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in.read(b, off, len);
            }

            @Override
            public void close() {
                // the caller owns the stream
            }
        };
    }
}
