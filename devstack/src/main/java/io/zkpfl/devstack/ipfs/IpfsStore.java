package io.zkpfl.devstack.ipfs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.zkpfl.devstack.TempDirs;
import io.zkpfl.devstack.fault.LoopbackProxy;
import io.zkpfl.devstack.fault.ProxiedComponent;
import io.zkpfl.protocol.ipfs.BlockNotFoundException;
import io.zkpfl.protocol.ipfs.BlockSink;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.ImportOptions;
import io.zkpfl.protocol.ipfs.ImportResult;
import io.zkpfl.protocol.ipfs.UnixFsImporter;
import io.zkpfl.protocol.ipfs.UnixFsReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-process content store serving the part of Kubo's RPC API that zkPFL uses, on a free loopback
 * port: {@code POST /api/v0/add} (multipart; {@code cid-version}, {@code pin}, {@code raw-leaves},
 * {@code chunker=size-N}, {@code only-hash}), {@code /api/v0/cat}, {@code /api/v0/block/get}, {@code /api/v0/pin/add} and
 * {@code /api/v0/version}. CIDs are exactly those {@code ipfs add} returns for the same bytes.
 *
 * <p>Errors use Kubo's JSON shape {@code {"Message":…,"Code":…,"Type":"error"}}: 400 (Code 1) for bad
 * requests, 413 for bodies over the limit, 405 for methods other than POST, and 500 (Code 0) for missing
 * blocks and invalid paths, as Kubo answers them. Blocks live in a directory: a temporary one deleted on
 * {@link #close()}, or a given persistent one.
 *
 * <p>Clients reach the store through a {@link LoopbackProxy}, so that it can be stalled and killed as
 * clients see it; {@link #restart()} serves the same block directory again on the same port (ADR 0012).
 */
public final class IpfsStore extends ProxiedComponent implements IpfsEndpoint, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Version string reported by {@code /api/v0/version}. */
    public static final String VERSION = "0.1.0-zkpfl-devstack";

    private static final System.Logger LOG = System.getLogger(IpfsStore.class.getName());

    private HttpServer server;
    private final LoopbackProxy proxy;
    private final ExecutorService executor;
    private final BlockStore store;
    private final Path dataDir;
    private final boolean ownsDir;
    private final long maxBodyBytes;
    private final AtomicBoolean closed = new AtomicBoolean();

    private IpfsStore(ExecutorService executor, BlockStore store, Path dataDir, boolean ownsDir,
                      long maxBodyBytes) {
        this.proxy = LoopbackProxy.start("ipfs", 0);
        this.executor = executor;
        this.store = store;
        this.dataDir = dataDir;
        this.ownsDir = ownsDir;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Starts a store in a temporary directory. */
    public static IpfsStore start() {
        return start(IpfsStoreOptions.defaults());
    }

    /**
     * Starts a store and its HTTP server on a free loopback port.
     *
     * @throws UncheckedIOException when the directory or the port cannot be opened
     */
    public static IpfsStore start(IpfsStoreOptions options) {
        boolean owns = options.dataDir() == null;
        Path dir = owns ? TempDirs.create("zkpfl-ipfs-") : options.dataDir();
        try {
            Files.createDirectories(dir);
            BlockStore store = new BlockStore(dir);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            IpfsStore ipfs = new IpfsStore(executor, store, dir, owns, options.maxBodyBytes());
            try {
                ipfs.serve();
            } catch (IOException | RuntimeException e) {
                ipfs.proxy.close();
                executor.shutdownNow();
                throw e;
            }
            return ipfs;
        } catch (IOException | RuntimeException e) {
            if (owns) {
                TempDirs.deleteRecursively(dir);
            }
            throw e instanceof RuntimeException re ? re : new UncheckedIOException("cannot start the IPFS store", (IOException) e);
        }
    }

    private void serve() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
        server = http;
        proxy.retarget(http.getAddress().getPort());
        proxy.listen();
    }

    /** The RPC API base URL, {@code http://127.0.0.1:PORT}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The loopback port clients use (it stays the same across restarts). */
    public int port() {
        return proxy.port();
    }

    @Override
    protected LoopbackProxy proxy() {
        return proxy;
    }

    /** Resets every client connection, closes the port and stops the server; uploads in flight store nothing. */
    @Override
    protected void terminate(boolean stalled) {
        proxy.drop();
        server.stop(0);
    }

    /** Serves the same block directory again on the same port. */
    @Override
    protected void startAgain() {
        try {
            serve();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart the IPFS store", e);
        }
    }

    /** The directory holding blocks and pins. */
    public Path dataDirectory() {
        return dataDir;
    }

    /** Number of blocks stored. */
    public long blockCount() {
        try {
            return store.blockCount();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code cid} was pinned. */
    public boolean isPinned(Cid cid) {
        return store.isPinned(cid);
    }

    /** Stops the server; deletes the directory when it is temporary. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        proxy.close();
        server.stop(0);
        executor.shutdownNow();
        if (ownsDir) {
            TempDirs.deleteRecursively(dataDir);
        }
    }

    @Override
    public String toString() {
        return "IpfsStore[" + apiUrl() + "]";
    }

    // ---------------------------------------------------------------- HTTP

    /** A request the store refuses; becomes a Kubo-shaped error. */
    private static final class RpcError extends Exception {
        final int status;
        final int code;

        RpcError(int status, int code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }

        static RpcError client(String message) {
            return new RpcError(400, 1, message);
        }

        static RpcError normal(String message) {
            return new RpcError(500, 0, message);
        }
    }

    /** The request body exceeded the limit. */
    private static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("request body exceeds the limit of " + limit + " bytes");
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            route(ex);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "IPFS store failed on " + ex.getRequestURI(), e);
            if (ex.getResponseCode() == -1) {
                sendError(ex, 500, 0, e.toString());
            }
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            if (!path.startsWith("/api/v0/")) {
                throw new RpcError(404, 0, "404 page not found");
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "POST");
                throw new RpcError(405, 2, "405 - Method Not Allowed");
            }
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            switch (path.substring("/api/v0/".length())) {
                case "add" -> add(ex, query);
                case "cat" -> cat(ex, query);
                case "block/get" -> blockGet(ex, query);
                case "pin/add" -> pinAdd(ex, query);
                case "version" -> version(ex);
                default -> throw new RpcError(404, 0, "404 page not found");
            }
        } catch (RpcError e) {
            sendError(ex, e.status, e.code, e.getMessage());
        } catch (TooLarge e) {
            // the rest of the body stays unread, so this connection cannot carry another request:
            // say so, or a client may reuse it from its pool and read nothing back (RFC 9112, 9.6)
            ex.getResponseHeaders().set("Connection", "close");
            drain(ex.getRequestBody(), DRAIN_LIMIT);
            sendError(ex, 413, 1, e.getMessage());
        } catch (IOException e) {
            if (ex.getResponseCode() == -1) {
                sendError(ex, 500, 0, e.getMessage() == null ? e.toString() : e.getMessage());
            } else {
                throw e; // the response has started: abort the connection so the client sees a broken stream
            }
        }
    }

    /** How much of a refused body is read before the 413: a client still sending would otherwise see a reset. */
    private static final long DRAIN_LIMIT = 64L << 20;

    /** Reads and drops up to {@code limit} bytes of {@code body}; a longer body is left to the closing connection. */
    private static void drain(java.io.InputStream body, long limit) {
        byte[] buffer = new byte[64 * 1024];
        long read = 0;
        try {
            int n;
            while (read < limit && (n = body.read(buffer, 0, (int) Math.min(buffer.length, limit - read))) >= 0) {
                read += n;
            }
        } catch (IOException e) {
            // the client gave up sending: the 413 goes out on what is left of the connection
        }
    }

    private void add(HttpExchange ex, Map<String, String> query) throws IOException, RpcError {
        int cidVersion = switch (query.getOrDefault("cid-version", "0")) {
            case "0" -> 0;
            case "1" -> 1;
            default -> throw RpcError.normal("unknown CID version " + query.get("cid-version"));
        };
        boolean pin = bool(query, "pin", true);
        boolean onlyHash = bool(query, "only-hash", false);
        ImportOptions options = ImportOptions.forCidVersion(cidVersion);
        if (query.containsKey("raw-leaves")) {
            options = options.withRawLeaves(bool(query, "raw-leaves", options.rawLeaves()));
        }
        String chunker = query.get("chunker");
        if (chunker != null && !chunker.isEmpty()) {
            options = options.withChunkSize(chunkSize(chunker));
        }
        String lengthHeader = ex.getRequestHeaders().getFirst("Content-Length");
        if (lengthHeader != null) {
            try {
                if (Long.parseLong(lengthHeader.strip()) > maxBodyBytes) {
                    throw new TooLarge(maxBodyBytes);
                }
            } catch (NumberFormatException e) {
                throw RpcError.client("invalid Content-Length");
            }
        }
        String boundary = MultipartStream.boundaryOf(ex.getRequestHeaders().getFirst("Content-Type"));
        if (boundary == null) {
            throw RpcError.client("expected a multipart/form-data request body with a boundary");
        }
        MultipartStream multipart = new MultipartStream(new LimitedInputStream(ex.getRequestBody(), maxBodyBytes),
                boundary);
        UnixFsImporter importer = new UnixFsImporter(options);
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        List<Cid> roots = new ArrayList<>();
        try (BlockStore.Batch batch = store.batch()) {
            BlockSink sink = onlyHash ? BlockSink.discard() : batch;
            Map<String, String> headers;
            while ((headers = multipart.nextPart()) != null) {
                String contentType = headers.getOrDefault("content-type", "application/octet-stream");
                if (contentType.toLowerCase(Locale.ROOT).startsWith("application/x-directory")) {
                    throw RpcError.client("directories are not supported by this store; add files one by one");
                }
                String disposition = headers.get("content-disposition");
                String name = MultipartStream.dispositionParam(disposition, "filename");
                if (name == null) {
                    name = MultipartStream.dispositionParam(disposition, "name");
                }
                ImportResult result = importer.importFile(multipart.partBody(), sink);
                ObjectNode line = JSON.createObjectNode();
                line.put("Name", name == null || name.isEmpty() ? result.root().toString() : URLDecoder.decode(name, StandardCharsets.UTF_8));
                line.put("Hash", result.root().toString());
                line.put("Size", Long.toString(result.dagSize()));
                response.writeBytes(JSON.writeValueAsBytes(line));
                response.write('\n');
                roots.add(result.root());
            }
            if (roots.isEmpty()) {
                throw RpcError.client("file argument 'path' is required");
            }
            if (!onlyHash) {
                batch.commit();
                if (pin) {
                    for (Cid root : roots) {
                        store.pin(root);
                    }
                }
            }
        } catch (MultipartStream.MalformedMultipartException e) {
            throw RpcError.client(e.getMessage());
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("X-Chunked-Output", "1");
        byte[] body = response.toByteArray();
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    private void cat(HttpExchange ex, Map<String, String> query) throws IOException, RpcError {
        Cid cid = argument(query, "ipfs-path");
        byte[] root = store.get(cid);
        if (root == null) {
            throw RpcError.normal(new BlockNotFoundException(cid).getMessage());
        }
        long size;
        try {
            size = cid.matches(root) ? UnixFsReader.declaredSize(cid, root) : -1;
        } catch (IOException e) {
            throw RpcError.normal(e.getMessage());
        }
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.getResponseHeaders().set("X-Stream-Output", "1");
        if (size >= 0) {
            ex.getResponseHeaders().set("X-Content-Length", Long.toString(size));
        }
        try (InputStream in = UnixFsReader.open(cid, store)) {
            byte[] buf = new byte[65536];
            int n = in.read(buf);
            if (n < 0) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            do {
                out.write(buf, 0, n);
            } while ((n = in.read(buf)) > 0);
        }
    }

    private void blockGet(HttpExchange ex, Map<String, String> query) throws IOException, RpcError {
        Cid cid = argument(query, "cid");
        byte[] block = store.get(cid);
        if (block == null) {
            throw RpcError.normal(new BlockNotFoundException(cid).getMessage());
        }
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.sendResponseHeaders(200, block.length);
        ex.getResponseBody().write(block);
    }

    private void pinAdd(HttpExchange ex, Map<String, String> query) throws IOException, RpcError {
        Cid cid = argument(query, "ipfs-path");
        try {
            UnixFsReader.verify(cid, store);
        } catch (IOException e) {
            throw RpcError.normal(e.getMessage());
        }
        store.pin(cid);
        ObjectNode answer = JSON.createObjectNode();
        answer.putArray("Pins").add(cid.toString());
        sendJson(ex, answer);
    }

    private void version(HttpExchange ex) throws IOException {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("Version", VERSION);
        answer.put("Commit", "");
        answer.put("Repo", "");
        answer.put("System", System.getProperty("os.arch") + "/" + System.getProperty("os.name").toLowerCase(Locale.ROOT));
        answer.put("Golang", "");
        sendJson(ex, answer);
    }

    private static Cid argument(Map<String, String> query, String name) throws RpcError {
        String arg = query.get("arg");
        if (arg == null || arg.isBlank()) {
            throw RpcError.client("argument \"" + name + "\" is required");
        }
        String text = arg.startsWith("/ipfs/") ? arg.substring("/ipfs/".length()) : arg;
        try {
            return Cid.parse(text);
        } catch (IllegalArgumentException e) {
            throw RpcError.normal("invalid path \"" + abbreviate(arg) + "\": " + e.getMessage());
        }
    }

    /**
     * The chunk size of Kubo's {@code size-N} chunker; other chunkers (rabin, buzhash) are refused rather than
     * replaced, since the CID would then differ from Kubo's.
     */
    private static int chunkSize(String chunker) throws RpcError {
        if (chunker.equals("default")) {
            return ImportOptions.DEFAULT_CHUNK_SIZE;
        }
        if (!chunker.startsWith("size-")) {
            throw RpcError.client("unsupported chunker \"" + abbreviate(chunker)
                    + "\": this store implements only size-N (fixed-size chunks)");
        }
        try {
            int size = Integer.parseInt(chunker.substring("size-".length()));
            if (size >= 1 && size <= ImportOptions.MAX_CHUNK_SIZE) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw RpcError.client("chunker \"" + abbreviate(chunker) + "\": the size must be an integer in [1, "
                + ImportOptions.MAX_CHUNK_SIZE + "]");
    }

    private static boolean bool(Map<String, String> query, String name, boolean fallback) throws RpcError {
        String v = query.get(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw RpcError.client("invalid value \"" + abbreviate(v) + "\" for option \"" + name + "\"");
        };
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(k, v);
        }
        return params;
    }

    private static void sendJson(HttpExchange ex, ObjectNode node) throws IOException {
        byte[] body = JSON.writeValueAsBytes(node);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    private static void sendError(HttpExchange ex, int status, int code, String message) throws IOException {
        ObjectNode err = JSON.createObjectNode();
        err.put("Message", message);
        err.put("Code", code);
        err.put("Type", "error");
        byte[] body = JSON.writeValueAsBytes(err);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    /** Counts body bytes and fails once more than the limit arrive. */
    private static final class LimitedInputStream extends InputStream {
        private final InputStream in;
        private final long limit;
        private long count;

        LimitedInputStream(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0 && ++count > limit) {
                throw new TooLarge(limit);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > limit) {
                    throw new TooLarge(limit);
                }
            }
            return n;
        }
    }
}
