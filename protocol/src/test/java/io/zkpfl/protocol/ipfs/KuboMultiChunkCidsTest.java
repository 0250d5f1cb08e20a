package io.zkpfl.protocol.ipfs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Multi-chunk files whose CIDs Kubo publishes in {@code test/cli/add_test.go}: files of exactly 174 chunks
 * (one level, the root holds the maximum 174 links) and of 175 chunks (the DAG is rebalanced to a second
 * level and the root holds 2 links), built from Kubo's deterministic test bytes.
 */
class KuboMultiChunkCidsTest {

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;

    private record Recorded(ImportResult result, List<Cid> cids, List<byte[]> blocks) {
    }

    private static Recorded importDeterministic(ImportOptions options, String seed, long size) throws IOException {
        List<Cid> cids = new ArrayList<>();
        List<byte[]> roots = new ArrayList<>();
        ImportResult r = new UnixFsImporter(options).importFile(new KuboDeterministicBytes(seed, size),
                (cid, block) -> {
                    cids.add(cid);
                    roots.clear();
                    roots.add(block);
                });
        return new Recorded(r, cids, roots);
    }

    @Test
    void cidV0FileAtMaxLinks() throws IOException {
        Recorded rec = importDeterministic(ImportOptions.kuboDefaults(), "v0-seed", 44544 * KIB);
        assertEquals("QmUbBALi174SnogsUzLpYbD4xPiBSFANF4iztWCsHbMKh2", rec.result.root().toString());
        assertEquals(174, DagPbNode.decode(rec.blocks.getFirst()).links().size());
        assertEquals(175, rec.result.blockCount());
        assertEquals(44544 * KIB, rec.result.fileSize());
    }

    @Test
    void cidV0FileOverMaxLinksIsRebalanced() throws IOException {
        Recorded rec = importDeterministic(ImportOptions.kuboDefaults(), "v0-seed", 44800 * KIB);
        assertEquals("QmepeWtdmS1hHXx1oZXsPUv6bMrfRRKfZcoPPU4eEfjnbf", rec.result.root().toString());
        assertEquals(2, DagPbNode.decode(rec.blocks.getFirst()).links().size());
    }

    /** Kubo's {@code test-cid-v1} profile: CIDv1, raw leaves, 1 MiB chunks, 174 links. */
    private static ImportOptions testCidV1Profile() {
        return ImportOptions.cidV1().withChunkSize((int) MIB);
    }

    @Test
    void cidV1RawLeavesFileAtMaxLinks() throws IOException {
        Recorded rec = importDeterministic(testCidV1Profile(), "v1-seed", 174 * MIB);
        assertEquals("bafybeigwduxcf2aawppv3isnfeshnimkyplvw3hthxjhr2bdeje4tdaicu", rec.result.root().toString());
        assertEquals(Cid.RAW, rec.cids.getFirst().codec());
    }

    @Test
    void cidV1RawLeavesFileOverMaxLinksIsRebalanced() throws IOException {
        Recorded rec = importDeterministic(testCidV1Profile(), "v1-seed", 175 * MIB);
        assertEquals("bafybeidhd7lo2n2v7lta5yamob3xwhbxcczmmtmhquwhjesi35jntf7mpu", rec.result.root().toString());
    }
}
