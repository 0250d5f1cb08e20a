package io.zkpfl.protocol.ipfs;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Cases without a published Kubo CID, checked against blocks spelled out byte by byte from the dag-pb and
 * UnixFS specifications (protobuf field tags and varints written by hand, not by the code under test).
 */
class HandEncodedDagTest {

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] b(int... v) {
        byte[] r = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (byte) v[i];
        }
        return r;
    }

    private static byte[] pattern(int n) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        return data;
    }

    /** 262144 = 0x40000 → varint 80 80 10. */
    private static byte[] leafBlockOfFullChunk(byte[] chunk) {
        // UnixFS: 08 02 (Type=File) | 12 80 80 10 <chunk> (Data) | 18 80 80 10 (filesize)
        byte[] unixfs = concat(b(0x08, 0x02, 0x12, 0x80, 0x80, 0x10), chunk, b(0x18, 0x80, 0x80, 0x10));
        // unixfs length = 2 + 4 + 262144 + 4 = 262154 = 0x4000A → varint 8A 80 10
        assertEquals(262154, unixfs.length);
        return concat(b(0x0a, 0x8a, 0x80, 0x10), unixfs);
    }

    @Test
    void exactlyOneChunkIsASingleLeafRoot() throws Exception {
        byte[] chunk = pattern(262144);
        byte[] expectedBlock = leafBlockOfFullChunk(chunk);
        List<byte[]> blocks = new ArrayList<>();
        ImportResult r = UnixFsImporter.kuboDefaults().importFile(new ByteArrayInputStream(chunk),
                (cid, block) -> blocks.add(block));
        assertEquals(1, blocks.size());
        assertArrayEquals(expectedBlock, blocks.getFirst());
        assertEquals(0, r.root().version());
        assertArrayEquals(sha256(expectedBlock), r.root().multihash().digest());
        assertEquals(expectedBlock.length, r.dagSize());
    }

    @Test
    void exactlyOneChunkWithCidV1IsOneRawBlock() throws Exception {
        byte[] chunk = pattern(262144);
        ImportResult r = new UnixFsImporter(ImportOptions.cidV1()).importFile(new ByteArrayInputStream(chunk),
                BlockSink.discard());
        assertEquals(Cid.RAW, r.root().codec());
        assertArrayEquals(sha256(chunk), r.root().multihash().digest());
        assertEquals("bafkrei", r.root().toString().substring(0, 7));
    }

    @Test
    void twoChunksMakeARootWithTwoLinks() throws Exception {
        byte[] data = pattern(262144 + 5);
        byte[] leaf1 = leafBlockOfFullChunk(Arrays.copyOf(data, 262144));
        byte[] tail = Arrays.copyOfRange(data, 262144, data.length);
        // UnixFS: 08 02 | 12 05 <5 bytes> | 18 05  → 11 bytes; PBNode: 0a 0b <unixfs>
        byte[] leaf2 = concat(b(0x0a, 0x0b, 0x08, 0x02, 0x12, 0x05), tail, b(0x18, 0x05));
        // Link: 0a 22 <34-byte multihash> | 12 00 (empty name) | 18 <tsize varint>
        long tsize1 = leaf1.length; // 262158 = 0x4000E → 8E 80 10
        long tsize2 = leaf2.length; // 13
        assertEquals(262158, tsize1);
        assertEquals(13, tsize2);
        byte[] link1 = concat(b(0x0a, 0x22, 0x12, 0x20), sha256(leaf1), b(0x12, 0x00, 0x18, 0x8e, 0x80, 0x10));
        byte[] link2 = concat(b(0x0a, 0x22, 0x12, 0x20), sha256(leaf2), b(0x12, 0x00, 0x18, 0x0d));
        // Root UnixFS: 08 02 | 18 85 80 10 (filesize 262149) | 20 80 80 10 (blocksize 262144) | 20 05
        byte[] rootFs = b(0x08, 0x02, 0x18, 0x85, 0x80, 0x10, 0x20, 0x80, 0x80, 0x10, 0x20, 0x05);
        byte[] root = concat(b(0x12, link1.length), link1, b(0x12, link2.length), link2,
                b(0x0a, rootFs.length), rootFs);

        List<byte[]> blocks = new ArrayList<>();
        ImportResult r = UnixFsImporter.kuboDefaults().importFile(new ByteArrayInputStream(data),
                (cid, block) -> blocks.add(block));
        assertEquals(3, blocks.size());
        assertArrayEquals(leaf1, blocks.get(0));
        assertArrayEquals(leaf2, blocks.get(1));
        assertArrayEquals(root, blocks.get(2));
        assertArrayEquals(sha256(root), r.root().multihash().digest());
        assertEquals(root.length + tsize1 + tsize2, r.dagSize());
        assertEquals(data.length, r.fileSize());
    }

    @Test
    void leafFastPathEqualsTheGenericCodecForEverySizeClass() throws IOException {
        for (int n : new int[] {1, 127, 128, 16383, 16384, 262144}) {
            byte[] chunk = pattern(n);
            List<byte[]> blocks = new ArrayList<>();
            UnixFsImporter.kuboDefaults().importFile(new ByteArrayInputStream(chunk), (c, blk) -> blocks.add(blk));
            byte[] generic = new DagPbNode(List.of(), new UnixFsData(UnixFsData.FILE, chunk, n, List.of()).encode()).encode();
            assertArrayEquals(generic, blocks.getFirst(), "size " + n);
            UnixFsData decoded = UnixFsData.decode(DagPbNode.decode(blocks.getFirst()).data());
            assertEquals(n, decoded.filesize());
            assertArrayEquals(chunk, decoded.data());
        }
    }

    @Test
    void emptyFileIsTheSixByteFileNode() throws IOException {
        List<byte[]> blocks = new ArrayList<>();
        UnixFsImporter.kuboDefaults().importFile(new ByteArrayInputStream(new byte[0]), (c, blk) -> blocks.add(blk));
        assertArrayEquals(b(0x0a, 0x04, 0x08, 0x02, 0x18, 0x00), blocks.getFirst());
    }
}
