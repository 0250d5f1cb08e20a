package io.zkpfl.protocol.ipfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnixFsReaderTest {

    private static Map<Cid, byte[]> store(ImportOptions options, byte[] data, Cid[] root) throws IOException {
        Map<Cid, byte[]> blocks = new HashMap<>();
        root[0] = new UnixFsImporter(options).importFile(new ByteArrayInputStream(data), blocks::put).root();
        return blocks;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4096, 262144, 262145, 1_100_000})
    void readsBackWhatWasImported(int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        for (ImportOptions options : new ImportOptions[] {ImportOptions.kuboDefaults(), ImportOptions.cidV1(),
                ImportOptions.kuboDefaults().withChunkSize(1000)}) {
            Cid[] root = new Cid[1];
            Map<Cid, byte[]> blocks = store(options, data, root);
            try (InputStream in = UnixFsReader.open(root[0], blocks::get)) {
                assertArrayEquals(data, in.readAllBytes());
            }
            assertEquals(size, UnixFsReader.verify(root[0], blocks::get));
        }
    }

    @Test
    void tamperedBlockIsDetected() throws IOException {
        byte[] data = new byte[600_000];
        new Random(1).nextBytes(data);
        Cid[] root = new Cid[1];
        Map<Cid, byte[]> blocks = store(ImportOptions.kuboDefaults(), data, root);
        Cid leaf = blocks.keySet().stream().filter(c -> !c.equals(root[0])).findFirst().orElseThrow();
        byte[] bad = blocks.get(leaf).clone();
        bad[bad.length / 2] ^= 1;
        blocks.put(leaf, bad);
        assertThrows(ContentMismatchException.class, () -> UnixFsReader.verify(root[0], blocks::get));
    }

    @Test
    void missingBlockIsReportedWithItsCid() throws IOException {
        byte[] data = new byte[600_000];
        Cid[] root = new Cid[1];
        Map<Cid, byte[]> blocks = store(ImportOptions.cidV1(), data, root);
        Cid leaf = blocks.keySet().stream().filter(c -> c.codec() == Cid.RAW).findFirst().orElseThrow();
        blocks.remove(leaf);
        BlockNotFoundException e = assertThrows(BlockNotFoundException.class,
                () -> UnixFsReader.verify(root[0], blocks::get));
        assertEquals(leaf, e.cid());
    }

    @Test
    void nonUnixFsBlockIsRejected() {
        byte[] junk = {0x0a, 0x02, 0x08, 0x01}; // dag-pb with UnixFS type Directory
        Cid cid = Cid.v0(junk);
        IOException e = assertThrows(IOException.class, () -> UnixFsReader.verify(cid, c -> junk));
        assertEquals(cid + " is not a file (UnixFS type 1)", e.getMessage());
        byte[] garbage = {(byte) 0xff, (byte) 0xff};
        Cid garbageCid = Cid.v0(garbage);
        assertThrows(IOException.class, () -> UnixFsReader.verify(garbageCid, c -> garbage));
    }
}
