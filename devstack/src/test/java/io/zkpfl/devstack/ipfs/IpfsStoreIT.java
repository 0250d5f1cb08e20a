package io.zkpfl.devstack.ipfs;

import io.zkpfl.protocol.ipfs.KuboDeterministicBytes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.protocol.ipfs.BlockNotFoundException;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.ContentMismatchException;
import io.zkpfl.protocol.ipfs.ImportOptions;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.protocol.ipfs.KuboException;
import io.zkpfl.protocol.ipfs.UnixFsImporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpfsStoreIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static IpfsStore store;
    private static KuboClient client;

    @BeforeAll
    static void start() {
        store = IpfsStore.start();
        client = KuboClient.create(store.apiUrl());
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static HttpResponse<String> post(String pathAndQuery, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(store.apiUrl() + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode kuboError(HttpResponse<String> r) throws IOException {
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode err = JSON.readTree(r.body());
        assertEquals("error", err.get("Type").asText());
        assertTrue(err.get("Message").asText().length() > 3, r.body());
        return err;
    }

    @Test
    void helloHasKubosCidAndSize() throws Exception {
        KuboClient.AddResult r = client.add(new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8)),
                KuboClient.AddOptions.defaults());
        assertEquals("QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN", r.cid().toString());
        assertEquals(14, r.size());
        assertEquals("file", r.name());
        try (InputStream in = client.cat(r.cid())) {
            assertEquals("hello\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertTrue(store.isPinned(r.cid()));
    }

    @Test
    void publishedRebalancedFileRoundTripsThroughTheStore() throws Exception {
        // Kubo test/cli/add_test.go: 44800 KiB of ChaCha20 bytes from seed "v0-seed" → 175 chunks, 2 levels
        long size = 44800L * 1024;
        Cid cid = client.add(new KuboDeterministicBytes("v0-seed", size));
        assertEquals("QmepeWtdmS1hHXx1oZXsPUv6bMrfRRKfZcoPPU4eEfjnbf", cid.toString());
        try (InputStream got = client.catVerified(cid); InputStream want = new KuboDeterministicBytes("v0-seed", size)) {
            byte[] a = new byte[1 << 20];
            byte[] b = new byte[1 << 20];
            long total = 0;
            int n;
            while ((n = got.readNBytes(a, 0, a.length)) > 0) {
                assertEquals(n, want.readNBytes(b, 0, n));
                assertArrayEquals(java.util.Arrays.copyOf(b, n), java.util.Arrays.copyOf(a, n));
                total += n;
            }
            assertEquals(size, total);
        }
    }

    @Test
    void moreThanOneMebibyteWithCidV1RoundTrips() throws Exception {
        byte[] data = random(3 * 1024 * 1024 + 17, 7);
        KuboClient.AddResult r = client.add(new ByteArrayInputStream(data),
                KuboClient.AddOptions.defaults().withCidVersion(1).withPin(false));
        assertTrue(r.cid().toString().startsWith("bafybei"), r.cid().toString());
        assertEquals(new UnixFsImporter(ImportOptions.cidV1()).cidOf(data), r.cid());
        assertFalse(store.isPinned(r.cid()));
        try (InputStream in = client.cat(r.cid())) {
            assertArrayEquals(data, in.readAllBytes());
        }
        assertArrayEquals(data, client.catVerifiedBytes(r.cid(), data.length));
        assertThrows(IOException.class, () -> client.catVerifiedBytes(r.cid(), data.length - 1));
        client.pin(r.cid());
        assertTrue(store.isPinned(r.cid()));
    }

    @Test
    void anEnvelopeOverOneMebibyteGetsTheCidComputedBeforeTheUpload() throws Exception {
        byte[] envelope = random((1 << 20) + 1_234, 12);
        Cid named = Cid.ofFile(envelope);
        Cid stored = client.add(new ByteArrayInputStream(envelope), KuboClient.AddOptions.defaults().withCidVersion(1))
                .cid();
        assertEquals(named, stored);
        assertTrue(stored.namesFile(envelope));
        assertArrayEquals(envelope, client.catVerifiedBytes(stored, envelope.length));
        // the raw-block CID of the whole envelope names no block of the store
        assertEquals(null, client.blockGet(Cid.v1(Cid.RAW, envelope)));
    }

    @Test
    void theChunkerOptionIsHonouredOrRefused() throws Exception {
        byte[] data = random(3 * 1024 * 1024 + 5, 13);
        String ct = "multipart/form-data; boundary=XyZ";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(data);
        body.writeBytes("\r\n--XyZ--\r\n".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> mib = post("/api/v0/add?cid-version=1&chunker=size-1048576", ct, body.toByteArray());
        assertEquals(200, mib.statusCode(), mib.body());
        assertEquals(new UnixFsImporter(ImportOptions.cidV1().withChunkSize(1 << 20)).cidOf(data).toString(),
                JSON.readTree(mib.body()).get("Hash").asText());
        HttpResponse<String> dflt = post("/api/v0/add?cid-version=1&chunker=size-262144", ct, body.toByteArray());
        assertEquals(Cid.ofFile(data).toString(), JSON.readTree(dflt.body()).get("Hash").asText());
        long before = store.blockCount();
        byte[] small = ("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\nabc\r\n--XyZ--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> rabin = post("/api/v0/add?cid-version=1&chunker=rabin", ct, small);
        assertEquals(400, rabin.statusCode());
        assertTrue(kuboError(rabin).get("Message").asText().contains("unsupported chunker"), rabin.body());
        HttpResponse<String> huge = post("/api/v0/add?chunker=size-2000000", ct, small);
        assertEquals(400, huge.statusCode());
        assertTrue(kuboError(huge).get("Message").asText().contains("[1, 1048576]"), huge.body());
        assertEquals(before, store.blockCount());
    }

    @Test
    void replayedAddGivesTheSameCidAndStoresNothingNew() throws Exception {
        byte[] data = random(700_000, 99);
        Cid first = client.add(data);
        long blocks = store.blockCount();
        Cid again = client.add(data);
        assertEquals(first, again);
        assertEquals(blocks, store.blockCount());
    }

    @Test
    void unknownCidGivesKubosNotFoundError() throws Exception {
        Cid unknown = new UnixFsImporter(ImportOptions.kuboDefaults()).cidOf("never added".getBytes(StandardCharsets.UTF_8));
        KuboException e = assertThrows(KuboException.class, () -> client.cat(unknown));
        assertEquals(500, e.status());
        assertEquals("block was not found locally (offline): ipld: could not find " + unknown, e.getMessage());
        JsonNode err = kuboError(post("/api/v0/cat?arg=" + unknown, null, new byte[0]));
        assertEquals(0, err.get("Code").asInt());
        KuboException pin = assertThrows(KuboException.class, () -> client.pin(unknown));
        assertTrue(pin.getMessage().contains("could not find"), pin.getMessage());
        assertThrows(BlockNotFoundException.class, () -> client.catVerifiedBytes(unknown, 100));
    }

    @Test
    void malformedRequestsGetKuboShapedClientErrorsAndStoreNothing() throws Exception {
        long before = store.blockCount();
        String ct = "multipart/form-data; boundary=XyZ";
        byte[] unterminated = ("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n"
                + "x".repeat(300_000)).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r1 = post("/api/v0/add", ct, unterminated);
        assertEquals(400, r1.statusCode());
        assertEquals(1, kuboError(r1).get("Code").asInt());

        HttpResponse<String> r2 = post("/api/v0/add", "application/octet-stream", new byte[] {1, 2, 3});
        assertEquals(400, r2.statusCode());
        kuboError(r2);

        HttpResponse<String> r3 = post("/api/v0/add", ct, "--XyZ--\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r3.statusCode());
        assertEquals("file argument 'path' is required", kuboError(r3).get("Message").asText());

        HttpResponse<String> r4 = post("/api/v0/add", ct, "--XyZ\r\nbroken header\r\n\r\nabc\r\n--XyZ--\r\n"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r4.statusCode());

        HttpResponse<String> r5 = post("/api/v0/cat?arg=not-a-cid", null, new byte[0]);
        assertEquals(500, r5.statusCode());
        assertTrue(kuboError(r5).get("Message").asText().startsWith("invalid path \"not-a-cid\""));

        HttpResponse<String> r6 = post("/api/v0/cat", null, new byte[0]);
        assertEquals(400, r6.statusCode());
        assertEquals("argument \"ipfs-path\" is required", kuboError(r6).get("Message").asText());

        HttpResponse<String> r7 = post("/api/v0/add?cid-version=9", ct, "--XyZ--\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(500, r7.statusCode());
        assertTrue(kuboError(r7).get("Message").asText().contains("unknown CID version"));

        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(store.apiUrl() + "/api/v0/version"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());

        assertEquals(before, store.blockCount());
    }

    @Test
    void versionAnswers() throws Exception {
        assertEquals(IpfsStore.VERSION, client.version());
    }

    @Test
    void oversizedBodyIsRefusedWith413AndNothingIsStored() throws Exception {
        try (IpfsStore small = IpfsStore.start(IpfsStoreOptions.defaults().withMaxBodyBytes(1024 * 1024))) {
            byte[] big = random(2 * 1024 * 1024, 3);
            String boundary = "b0undary";
            byte[] body = concat(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8), big,
                    ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(small.apiUrl() + "/api/v0/add"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, r.statusCode());
            JsonNode err = JSON.readTree(r.body());
            assertEquals("request body exceeds the limit of 1048576 bytes", err.get("Message").asText());
            // streamed (chunked) upload: the limit is enforced while reading; afterwards a small file
            // still works through the same client, whose pool must not reuse the refused connection
            // (repeated: without `Connection: close` about one in twelve reuses failed)
            KuboClient smallClient = KuboClient.create(small.apiUrl());
            for (int i = 0; i < 25; i++) {
                long blocks = small.blockCount();
                assertThrows(IOException.class, () -> smallClient.add(new ByteArrayInputStream(big)));
                assertEquals(i == 0 ? 0 : 1, blocks, "only the small file's block is stored");
                assertEquals(blocks, small.blockCount(), "a refused upload stores nothing");
                assertEquals("QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN",
                        smallClient.add("hello\n".getBytes(StandardCharsets.UTF_8)).toString());
            }
        }
    }

    @Test
    void corruptedBlockIsCaughtByCatVerified(@TempDir Path dir) throws Exception {
        try (IpfsStore own = IpfsStore.start(IpfsStoreOptions.defaults().withDataDir(dir))) {
            KuboClient c = KuboClient.create(own.apiUrl());
            byte[] data = random(600_000, 5);
            Cid cid = c.add(data);
            try (Stream<Path> files = Files.list(dir.resolve("blocks"))) {
                Path victim = files.filter(p -> {
                    try {
                        return Files.size(p) > 200_000;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).findFirst().orElseThrow();
                byte[] bytes = Files.readAllBytes(victim);
                bytes[bytes.length / 2] ^= 0x55;
                Files.write(victim, bytes);
            }
            assertThrows(ContentMismatchException.class, () -> c.catVerifiedBytes(cid, data.length));
            // the server verifies too: a plain cat does not return the whole (wrong) content
            assertThrows(IOException.class, () -> {
                try (InputStream in = c.cat(cid)) {
                    byte[] got = in.readAllBytes();
                    if (got.length == data.length) {
                        throw new AssertionError("corrupted content was served in full");
                    }
                }
            });
        }
    }

    @Test
    void persistentDirectoryKeepsContentAcrossRestarts(@TempDir Path dir) throws Exception {
        Cid cid;
        try (IpfsStore first = IpfsStore.start(IpfsStoreOptions.defaults().withDataDir(dir))) {
            cid = KuboClient.create(first.apiUrl()).add("kept\n".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(Files.isDirectory(dir.resolve("blocks")));
        try (IpfsStore second = IpfsStore.start(IpfsStoreOptions.defaults().withDataDir(dir))) {
            assertEquals("kept\n", new String(KuboClient.create(second.apiUrl()).catVerifiedBytes(cid, 100),
                    StandardCharsets.UTF_8));
            assertTrue(second.isPinned(cid));
        }
    }

    @Test
    void closeFreesThePortAndDeletesTheTemporaryDirectory() throws Exception {
        IpfsStore temp = IpfsStore.start();
        int port = temp.port();
        Path dir = temp.dataDirectory();
        KuboClient.create(temp.apiUrl()).add("bye\n".getBytes(StandardCharsets.UTF_8));
        temp.close();
        temp.close();
        assertFalse(Files.exists(dir));
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, s.getLocalPort());
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
