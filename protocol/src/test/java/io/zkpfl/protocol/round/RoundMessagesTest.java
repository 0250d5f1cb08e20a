package io.zkpfl.protocol.round;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.vss.Share;
import io.zkpfl.protocol.wire.WireFormatException;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

class RoundMessagesTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String G = "0000000000000000000000000000000000000000000000000000000000000001"
            + "0000000000000000000000000000000000000000000000000000000000000002";
    /** 2·G on alt_bn128. */
    private static final String G2X = "030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd3"
            + "15ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4";
    /** CIDv1, raw codec, sha2-256 of the empty block. */
    private static final String EMPTY_CID = "01551220" + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String R = "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001";

    private static EnvelopeManifest manifest() {
        Cid empty = Cid.v1(Cid.RAW, new byte[0]);
        return new EnvelopeManifest(BigInteger.valueOf(0x2A), 3, 1, 4, 1000,
                List.of(G1.GENERATOR, G1.GENERATOR.dbl()), List.of(empty, empty, empty));
    }

    private static String manifestHex() {
        return "01" + "02"
                + "000000000000000000000000000000000000000000000000000000000000002a" // job 42
                + "00000003" + "00000001" + "00000004" // round, attempt, i
                + "000003e8" // n_i = 1000
                + "02" + G + G2X // t = 2, C_i0 = G, C_i1 = 2G
                + "03" + ("0024" + EMPTY_CID).repeat(3); // m = 3 CIDs of 36 bytes
    }

    private static Reveal reveal() {
        return new Reveal(BigInteger.valueOf(7), 2, 0,
                new Share(3, new Fr[] {Fr.ONE, Fr.ONE.neg()}, new Fr[] {Fr.of(5)}));
    }

    private static String revealHex() {
        return "01" + "03"
                + "0000000000000000000000000000000000000000000000000000000000000007"
                + "00000002" + "00000000" + "00000003" // round, attempt, k
                + "00000002" + "00000001" // D = 2, blinding length 1
                + "0000000000000000000000000000000000000000000000000000000000000001"
                + "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000000" // r − 1
                + "0000000000000000000000000000000000000000000000000000000000000005";
    }

    @Test
    void manifestBytesAreTheHandWrittenLayout() {
        assertEquals(manifestHex(), HEX.formatHex(manifest().toBytes()));
        assertEquals(manifest(), EnvelopeManifest.fromBytes(HEX.parseHex(manifestHex())));
        assertArrayEquals(Hash.sha3(HEX.parseHex(manifestHex())), manifest().digest());
    }

    @Test
    void revealBytesAreTheHandWrittenLayout() {
        assertEquals(revealHex(), HEX.formatHex(reveal().toBytes()));
        Reveal back = Reveal.fromBytes(HEX.parseHex(revealHex()));
        assertEquals(reveal().partial(), back.partial());
        assertEquals(7, back.jobId().intValueExact());
    }

    @Test
    void decodingRefusesWrongVersionsKindsAndLengths() {
        byte[] m = HEX.parseHex(manifestHex());
        byte[] v0 = m.clone();
        v0[0] = 0;
        assertTrue(assertThrows(WireFormatException.class, () -> EnvelopeManifest.fromBytes(v0)).getMessage()
                .contains("envelope manifest: field version at offset 0: unsupported version 0"));
        assertTrue(assertThrows(WireFormatException.class, () -> EnvelopeManifest.fromBytes(HEX.parseHex(revealHex())))
                .getMessage().contains("message kind 3, expected 2"));
        assertTrue(assertThrows(WireFormatException.class, () -> EnvelopeManifest.fromBytes(Arrays.copyOf(m, 100)))
                .getMessage().contains("truncated at field C_0"));
        assertTrue(assertThrows(WireFormatException.class, () -> EnvelopeManifest.fromBytes(Arrays.copyOf(m, m.length + 2)))
                .getMessage().contains("2 unexpected bytes"));
        byte[] r = HEX.parseHex(revealHex());
        assertTrue(assertThrows(WireFormatException.class, () -> Reveal.fromBytes(Arrays.copyOf(r, r.length - 1)))
                .getMessage().contains("truncated at field b_k"));
        byte[] hugeD = r.clone();
        hugeD[2 + 32 + 12] = 0x7F; // D = 0x7F000002
        assertTrue(assertThrows(WireFormatException.class, () -> Reveal.fromBytes(hugeD)).getMessage()
                .contains("field D at offset 46"));
    }

    @Test
    void decodingRefusesNonCanonicalElementsAndOffCurvePoints() {
        String nonCanonical = revealHex().replace(
                "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000000", R);
        var e = assertThrows(WireFormatException.class, () -> Reveal.fromBytes(HEX.parseHex(nonCanonical)));
        assertTrue(e.getMessage().contains("field S_k[1] at offset 86 is not a canonical field element"), e.getMessage());

        String offCurve = manifestHex().replace(G2X, G2X.substring(0, 127) + "5"); // y + 1
        var p = assertThrows(WireFormatException.class, () -> EnvelopeManifest.fromBytes(HEX.parseHex(offCurve)));
        assertTrue(p.getMessage().contains("field C_1 at offset 115 is not a BN254 G1 point"), p.getMessage());

        String badCid = manifestHex().replaceFirst("002401551220", "002402551220");
        assertTrue(assertThrows(WireFormatException.class, () -> EnvelopeManifest.fromBytes(HEX.parseHex(badCid)))
                .getMessage().contains("envelope CID 1"));
        String oneCommitment = manifestHex().replace("02" + G + G2X, "01" + G);
        assertTrue(assertThrows(WireFormatException.class, () -> EnvelopeManifest.fromBytes(HEX.parseHex(oneCommitment)))
                .getMessage().contains("field t is 1"));
    }
}
