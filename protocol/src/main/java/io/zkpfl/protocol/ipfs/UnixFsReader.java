package io.zkpfl.protocol.ipfs;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Reads a UnixFS file back from its blocks, depth first, checking every block against the hash in the CID
 * that named it, so a store cannot substitute content.
 */
public final class UnixFsReader {

    /** Deepest DAG accepted (Kubo's balanced DAGs of exabyte files stay far below). */
    public static final int MAX_DEPTH = 64;

    private UnixFsReader() {
    }

    /**
     * A stream of the file bytes under {@code root}. Blocks are fetched lazily as the stream is read.
     * Reading throws {@link BlockNotFoundException} for a missing block, {@link ContentMismatchException}
     * for a block that does not match its CID, and {@link IOException} for a block that is not UnixFS.
     */
    public static InputStream open(Cid root, BlockSource source) {
        return new FileStream(root, source);
    }

    /**
     * Fetches and verifies every block of the DAG under {@code root} without keeping the data.
     *
     * @return the file size in bytes
     */
    public static long verify(Cid root, BlockSource source) throws IOException {
        long total = 0;
        try (InputStream in = open(root, source)) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
            }
        }
        return total;
    }

    /**
     * Decodes the root block of a file and returns its declared size (UnixFS {@code filesize}, or the raw
     * block length). The block must already match {@code cid}.
     */
    public static long declaredSize(Cid cid, byte[] block) throws IOException {
        if (cid.codec() == Cid.RAW) {
            return block.length;
        }
        UnixFsData fs = decodeFile(cid, block).fs;
        return fs.filesize() >= 0 ? fs.filesize() : fs.dataLength();
    }

    private record Node(List<DagPbLink> links, UnixFsData fs) {
    }

    private static Node decodeFile(Cid cid, byte[] block) throws IOException {
        if (cid.codec() != Cid.DAG_PB) {
            throw new IOException("unsupported codec 0x" + Integer.toHexString(cid.codec()) + " in " + cid);
        }
        try {
            DagPbNode node = DagPbNode.decode(block);
            byte[] payload = node.data();
            if (payload == null) {
                throw new IOException(cid + " is not a UnixFS node (no data)");
            }
            UnixFsData fs = UnixFsData.decode(payload);
            if (fs.type() != UnixFsData.FILE && fs.type() != UnixFsData.RAW) {
                throw new IOException(cid + " is not a file (UnixFS type " + fs.type() + ")");
            }
            return new Node(node.links(), fs);
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed block " + cid + ": " + e.getMessage(), e);
        }
    }

    private record Pending(Cid cid, int depth) {
    }

    private static final class FileStream extends InputStream {
        private final BlockSource source;
        private final Deque<Pending> todo = new ArrayDeque<>();
        private byte[] current = new byte[0];
        private int offset;
        private boolean closed;

        FileStream(Cid root, BlockSource source) {
            this.source = Objects.requireNonNull(source, "source");
            todo.push(new Pending(Objects.requireNonNull(root, "root"), 0));
        }

        private boolean fill() throws IOException {
            while (offset >= current.length) {
                if (closed || todo.isEmpty()) {
                    return false;
                }
                Pending next = todo.pop();
                if (next.depth > MAX_DEPTH) {
                    throw new IOException("DAG deeper than " + MAX_DEPTH + " levels");
                }
                byte[] block = source.get(next.cid);
                if (block == null) {
                    throw new BlockNotFoundException(next.cid);
                }
                if (next.cid.multihash().code() != Multihash.SHA2_256) {
                    throw new IOException("unsupported hash function 0x"
                            + Integer.toHexString(next.cid.multihash().code()) + " in " + next.cid);
                }
                if (!next.cid.matches(block)) {
                    throw new ContentMismatchException("block does not match its CID " + next.cid);
                }
                if (next.cid.codec() == Cid.RAW) {
                    current = block;
                } else {
                    Node node = decodeFile(next.cid, block);
                    byte[] data = node.fs.dataUnsafe();
                    current = data == null ? new byte[0] : data;
                    List<DagPbLink> links = node.links;
                    for (int i = links.size() - 1; i >= 0; i--) {
                        todo.push(new Pending(links.get(i).cid(), next.depth + 1));
                    }
                }
                offset = 0;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return current[offset++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, current.length - offset);
            System.arraycopy(current, offset, b, off, n);
            offset += n;
            return n;
        }

        @Override
        public void close() {
            closed = true;
            todo.clear();
            current = new byte[0];
            offset = 0;
        }
    }
}
