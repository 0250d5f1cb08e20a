package io.zkpfl.protocol.ipfs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a byte stream into a UnixFS file DAG exactly as Kubo's {@code ipfs add} does: fixed-size chunks,
 * a balanced tree of at most {@code maxLinks} links per node, leaves as UnixFS dag-pb nodes (CIDv0) or
 * raw blocks (CIDv1), root CID in Kubo's encoding.
 *
 * <p>The input is read once, streaming; memory holds one chunk plus one pending link list per tree level.
 */
public final class UnixFsImporter {

    private final ImportOptions options;

    /** An importer with the given options. */
    public UnixFsImporter(ImportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** An importer with Kubo's defaults (CIDv0). */
    public static UnixFsImporter kuboDefaults() {
        return new UnixFsImporter(ImportOptions.kuboDefaults());
    }

    /** The options in use. */
    public ImportOptions options() {
        return options;
    }

    /** The root CID {@code ipfs add} would print for {@code content}, storing nothing. */
    public Cid cidOf(byte[] content) {
        try {
            return importFile(new ByteArrayInputStream(content), BlockSink.discard()).root();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Imports the whole stream (not closed here) and hands every block to {@code sink}, root last.
     *
     * @throws IOException from the stream or the sink
     */
    public ImportResult importFile(InputStream in, BlockSink sink) throws IOException {
        Run run = new Run(new Chunks(in, options.chunkSize()), sink);
        Built root = run.layout();
        return new ImportResult(root.cid, root.fileSize, root.tsize, run.blocks);
    }

    /** A finished node: its CID, the file bytes below it and its cumulative DAG size. */
    private record Built(Cid cid, long fileSize, long tsize) {
    }

    /** An internal node being filled. */
    private static final class Pending {
        final List<DagPbLink> links = new ArrayList<>();
        final List<Long> blocksizes = new ArrayList<>();
        long fileSize;

        void add(Built child) {
            links.add(new DagPbLink(child.cid, "", child.tsize));
            blocksizes.add(child.fileSize);
            fileSize += child.fileSize;
        }
    }

    private final class Run {
        final Chunks chunks;
        final BlockSink sink;
        long blocks;

        Run(Chunks chunks, BlockSink sink) {
            this.chunks = chunks;
            this.sink = sink;
        }

        Built layout() throws IOException {
            if (chunks.done()) {
                return leaf(null);
            }
            Built root = leaf(chunks.take());
            for (int depth = 1; !chunks.done(); depth++) {
                Pending newRoot = new Pending();
                newRoot.add(root);
                root = fill(newRoot, depth);
            }
            return root;
        }

        private Built fill(Pending node, int depth) throws IOException {
            while (node.links.size() < options.maxLinks() && !chunks.done()) {
                Built child = depth == 1 ? leaf(chunks.take()) : fill(new Pending(), depth - 1);
                node.add(child);
            }
            UnixFsData fs = new UnixFsData(UnixFsData.FILE, null, node.fileSize, node.blocksizes);
            byte[] block = new DagPbNode(node.links, fs.encode()).encode();
            long tsize = block.length;
            for (DagPbLink l : node.links) {
                tsize += l.tsize();
            }
            return emit(dagPbCid(block), block, node.fileSize, tsize);
        }

        private Built leaf(byte[] chunk) throws IOException {
            long size = chunk == null ? 0 : chunk.length;
            if (options.rawLeaves()) {
                byte[] block = chunk == null ? new byte[0] : chunk;
                return emit(Cid.v1(Cid.RAW, block), block, size, block.length);
            }
            byte[] block = fileLeafBlock(chunk);
            return emit(dagPbCid(block), block, size, block.length);
        }

        /**
         * {@code PBNode{Data: UnixFS{Type: File, Data: chunk, filesize: len}}} written in one allocation;
         * the same bytes as {@code new DagPbNode(List.of(), new UnixFsData(FILE, chunk, len, []).encode()).encode()}.
         */
        private byte[] fileLeafBlock(byte[] chunk) {
            int n = chunk == null ? 0 : chunk.length;
            int fsLen = 2 + (chunk == null ? 0 : 1 + Varint.size(n) + n) + 1 + Varint.size(n);
            byte[] block = new byte[1 + Varint.size(fsLen) + fsLen];
            int p = 0;
            block[p++] = 0x0a;
            p = putVarint(block, p, fsLen);
            block[p++] = 0x08;
            block[p++] = UnixFsData.FILE;
            if (chunk != null) {
                block[p++] = 0x12;
                p = putVarint(block, p, n);
                System.arraycopy(chunk, 0, block, p, n);
                p += n;
            }
            block[p++] = 0x18;
            putVarint(block, p, n);
            return block;
        }

        private static int putVarint(byte[] buf, int p, long v) {
            while ((v & ~0x7FL) != 0) {
                buf[p++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[p++] = (byte) v;
            return p;
        }

        private Cid dagPbCid(byte[] block) {
            return options.cidVersion() == 0 ? Cid.v0(block) : Cid.v1(Cid.DAG_PB, block);
        }

        private Built emit(Cid cid, byte[] block, long fileSize, long tsize) throws IOException {
            sink.put(cid, block);
            blocks++;
            return new Built(cid, fileSize, tsize);
        }
    }

    /** Fixed-size chunks with one chunk of look-ahead, so that "no more data" is known before building. */
    private static final class Chunks {
        private final InputStream in;
        private final int size;
        private byte[] next;

        Chunks(InputStream in, int size) throws IOException {
            this.in = in;
            this.size = size;
            this.next = read();
        }

        boolean done() {
            return next == null;
        }

        byte[] take() throws IOException {
            byte[] chunk = next;
            next = read();
            return chunk;
        }

        private byte[] read() throws IOException {
            byte[] chunk = in.readNBytes(size);
            return chunk.length == 0 ? null : chunk;
        }
    }
}
