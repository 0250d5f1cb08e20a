package io.zkpfl.protocol.ipfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidTest {

    @Test
    void base32MatchesRfc4648Vectors() {
        // RFC 4648 section 10, lower case, padding removed
        String[][] vectors = {{"", ""}, {"f", "my"}, {"fo", "mzxq"}, {"foo", "mzxw6"}, {"foob", "mzxw6yq"},
                {"fooba", "mzxw6ytb"}, {"foobar", "mzxw6ytboi"}};
        for (String[] v : vectors) {
            assertEquals(v[1], Base32Lower.encode(v[0].getBytes(StandardCharsets.US_ASCII)));
            assertEquals(v[0], new String(Base32Lower.decode(v[1]), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void base58MatchesBitcoinVectors() {
        // From the base58 draft (draft-msporny-base58) and Bitcoin's test vectors
        assertEquals("2NEpo7TZRRrLZSi2U", Base58Btc.encode("Hello World!".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("11233QC4", Base58Btc.encode(HexFormat.of().parseHex("0000287fb4cd")));
        assertArrayEquals(HexFormat.of().parseHex("0000287fb4cd"), Base58Btc.decode("11233QC4"));
        assertEquals("", Base58Btc.encode(new byte[0]));
    }

    @Test
    void roundTripsRandomBytesThroughBothBases() {
        Random rnd = new Random(42);
        for (int i = 0; i < 500; i++) {
            byte[] data = new byte[rnd.nextInt(70)];
            rnd.nextBytes(data);
            if (data.length > 0 && rnd.nextBoolean()) {
                data[0] = 0;
            }
            assertArrayEquals(data, Base58Btc.decode(Base58Btc.encode(data)));
            assertArrayEquals(data, Base32Lower.decode(Base32Lower.encode(data)));
        }
    }

    @Test
    void cidV0ParsesToASha256MultihashAndFormatsBack() {
        String text = "QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN";
        Cid cid = Cid.parse(text);
        assertEquals(0, cid.version());
        assertEquals(Cid.DAG_PB, cid.codec());
        assertEquals(Multihash.SHA2_256, cid.multihash().code());
        assertEquals(text, cid.toString());
        assertEquals(34, cid.toBytes().length);
        assertTrue(cid.matches(new UnixFsImporterBlocks().helloBlock()));
    }

    @Test
    void cidV1ParsesFromBase32UpperCaseAndBase58() {
        Cid v1 = Cid.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
        assertEquals(1, v1.version());
        assertEquals(Cid.RAW, v1.codec());
        assertEquals(v1, Cid.parse(v1.toString().toUpperCase().replaceFirst("^B", "B")));
        assertEquals(v1, Cid.parse("z" + Base58Btc.encode(v1.toBytes())));
        assertEquals(v1, Cid.fromBytes(v1.toBytes()));
        // sha256 of the empty string
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                HexFormat.of().formatHex(v1.multihash().digest()));
    }

    @Test
    void v0ToV1KeepsTheMultihash() {
        Cid v0 = Cid.parse("QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN");
        Cid v1 = v0.toV1();
        assertEquals(1, v1.version());
        assertEquals(Cid.DAG_PB, v1.codec());
        assertEquals(v0.multihash(), v1.multihash());
        assertTrue(v1.toString().startsWith("bafybei"));
        assertFalse(v0.equals(v1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Qm", "QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXE0",
            "xafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", "bafkrei!!", "b", "not-a-cid",
            "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvy"})
    void malformedCidsAreRejectedWithAReason(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cid.parse(text));
        assertFalse(e.getMessage() == null || e.getMessage().isBlank());
    }

    @Test
    void oversizedCidStringIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Cid.parse("b" + "a".repeat(10_000)));
    }

    /** The block of {@code hello\n}, hand-encoded from the UnixFS and dag-pb specifications. */
    private static final class UnixFsImporterBlocks {
        byte[] helloBlock() {
            byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
            byte[] block = new byte[14];
            byte[] head = {0x0a, 0x0c, 0x08, 0x02, 0x12, 0x06};
            System.arraycopy(head, 0, block, 0, 6);
            System.arraycopy(hello, 0, block, 6, 6);
            block[12] = 0x18;
            block[13] = 0x06;
            return block;
        }
    }

    @Test
    void ofFileIsTheRawBlockUpToOneChunkAndKubosDagAboveIt() {
        byte[] chunk = new byte[ImportOptions.DEFAULT_CHUNK_SIZE];
        new Random(5).nextBytes(chunk);
        // one chunk: ipfs add --cid-version=1 stores the bytes as a single raw block
        assertEquals(Cid.v1(Cid.RAW, chunk), Cid.ofFile(chunk));
        byte[] envelope = new byte[(1 << 20) + 4_242];
        new Random(6).nextBytes(envelope);
        Cid big = Cid.ofFile(envelope);
        // above one chunk the raw-block CID names nothing the node stores: the root of the 256 KiB tree does
        assertEquals(Cid.DAG_PB, big.codec());
        assertEquals(1, big.version());
        assertFalse(big.equals(Cid.v1(Cid.RAW, envelope)));
        UnixFsImporter importer = new UnixFsImporter(ImportOptions.cidV1());
        assertEquals(importer.cidOf(envelope), big);
        // five leaves of 256 KiB: the same bytes in 1 MiB chunks give another root
        assertFalse(big.equals(new UnixFsImporter(ImportOptions.cidV1().withChunkSize(1 << 20)).cidOf(envelope)));
    }

    @Test
    void namesFileRecognisesTheBytesOnlyUnderTheirOwnLayout() {
        byte[] envelope = new byte[(1 << 20) + 99];
        new Random(8).nextBytes(envelope);
        byte[] other = envelope.clone();
        other[envelope.length - 1] ^= 1;
        Cid v1 = Cid.ofFile(envelope);
        assertTrue(v1.namesFile(envelope));
        assertFalse(v1.namesFile(other));
        Cid v0 = UnixFsImporter.kuboDefaults().cidOf(envelope);
        assertTrue(v0.namesFile(envelope));
        assertFalse(v0.namesFile(other));
        // a single large raw block (ipfs block put) names the bytes too
        assertTrue(Cid.v1(Cid.RAW, envelope).namesFile(envelope));
        assertFalse(Cid.v1(Cid.RAW, envelope).namesFile(other));
        // the dag-pb root of other chunking is not recognised from the bytes alone
        assertFalse(new UnixFsImporter(ImportOptions.cidV1().withChunkSize(1 << 20)).cidOf(envelope).namesFile(envelope));
        assertFalse(new Cid(1, 0x71, v1.multihash()).namesFile(envelope), "dag-cbor is no file");
    }
}
