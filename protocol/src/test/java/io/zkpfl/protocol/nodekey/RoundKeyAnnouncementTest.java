package io.zkpfl.protocol.nodekey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECDSASignature;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

class RoundKeyAnnouncementTest {

    private static final HexFormat HEX = HexFormat.of();
    /** The key of web3.js's documentation example for {@code accounts.sign}. */
    private static final ECKeyPair DOC_KEY = ECKeyPair.create(
            new BigInteger("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", 16));
    private static final String DOC_ADDRESS = "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23";
    private static final String MARKET = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    private static final G1 PK = G1.GENERATOR.mul(Fr.of(1234567)).normalize();

    private static RoundKeyAnnouncement announcement(long job, G1 pk) {
        return new RoundKeyAnnouncement(BigInteger.valueOf(31337), MARKET, BigInteger.valueOf(job), 4, DOC_ADDRESS, pk);
    }

    @Test
    void personalSignMatchesTheWeb3jsDocumentationVector() {
        byte[] message = "Some data".getBytes(StandardCharsets.US_ASCII);
        assertEquals("b91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd"
                + "6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a029" + "1c",
                HEX.formatHex(PersonalSignature.sign(message, DOC_KEY)));
        assertEquals(DOC_ADDRESS, PersonalSignature.recover(message, PersonalSignature.sign(message, DOC_KEY)));
    }

    @Test
    void encodingIsThePackedLayoutWrittenOutByHand() {
        RoundKeyAnnouncement a = new RoundKeyAnnouncement(BigInteger.valueOf(31337), MARKET, BigInteger.valueOf(0x0102), 4,
                DOC_ADDRESS, G1.GENERATOR);
        String expected = HEX.formatHex("zkPFL-round-key-v1".getBytes(StandardCharsets.US_ASCII))
                + "0000000000000000000000000000000000000000000000000000000000007a69" // chain 31337
                + "5fbdb2315678afecb367f032d93f642f64180aa3" // market
                + "0000000000000000000000000000000000000000000000000000000000000102" // job
                + "00000004" // round
                + "2c7536e3605d9c16a7a3d7b1898e529396a65c23" // node
                + "0000000000000000000000000000000000000000000000000000000000000001" // G.x
                + "0000000000000000000000000000000000000000000000000000000000000002"; // G.y
        assertEquals(expected, HEX.formatHex(a.encoding()));
    }

    @Test
    void aValidAnnouncementRecoversTheRegisteredSignerIndependently() {
        SignedRoundKey signed = announcement(9, PK).sign(DOC_KEY);
        signed.verify(DOC_ADDRESS);
        signed.verify("0x2C7536E3605D9C16a7a3D7b1898e529396a65c23");
        // ecrecover by hand: keccak256("\x19Ethereum Signed Message:\n32" ‖ digest)
        byte[] digest = Hash.sha3(announcement(9, PK).encoding());
        byte[] prefixed = new byte[28 + 32];
        System.arraycopy("\u0019Ethereum Signed Message:\n32".getBytes(StandardCharsets.US_ASCII), 0, prefixed, 0, 28);
        System.arraycopy(digest, 0, prefixed, 28, 32);
        byte[] sig = signed.signature();
        BigInteger key = Sign.recoverFromSignature(sig[64] - 27, new ECDSASignature(
                new BigInteger(1, Arrays.copyOfRange(sig, 0, 32)), new BigInteger(1, Arrays.copyOfRange(sig, 32, 64))),
                Hash.sha3(prefixed));
        assertEquals(DOC_ADDRESS, "0x" + Keys.getAddress(key));
    }

    @Test
    void badSignaturesOtherJobsAndAlteredKeysAreRefused() {
        SignedRoundKey signed = announcement(9, PK).sign(DOC_KEY);
        byte[] bad = signed.signature();
        bad[10] ^= 1;
        var e1 = assertThrows(IllegalArgumentException.class,
                () -> new SignedRoundKey(signed.announcement(), bad).verify(DOC_ADDRESS));
        assertTrue(e1.getMessage().contains("signed by") || e1.getMessage().contains("recovers no"), e1.getMessage());

        var e2 = assertThrows(IllegalArgumentException.class,
                () -> new SignedRoundKey(announcement(10, PK), signed.signature()).verify(DOC_ADDRESS));
        assertTrue(e2.getMessage().contains("not by the registered"), e2.getMessage());

        G1 otherPk = PK.add(G1.GENERATOR).normalize();
        assertThrows(IllegalArgumentException.class,
                () -> new SignedRoundKey(announcement(9, otherPk), signed.signature()).verify(DOC_ADDRESS));

        ECKeyPair stranger = ECKeyPair.create(BigInteger.valueOf(0xC0FFEE));
        var e3 = assertThrows(IllegalArgumentException.class, () -> announcement(9, PK).sign(stranger).verify(DOC_ADDRESS));
        assertTrue(e3.getMessage().contains("not by the registered"), e3.getMessage());

        var e4 = assertThrows(IllegalArgumentException.class, () -> signed.verify("0x" + "11".repeat(20)));
        assertTrue(e4.getMessage().contains("names node"), e4.getMessage());
    }

    @Test
    void malleableAndMalformedSignaturesAreRefused() {
        SignedRoundKey signed = announcement(9, PK).sign(DOC_KEY);
        byte[] sig = signed.signature();
        BigInteger n = Sign.CURVE_PARAMS.getN();
        BigInteger highS = n.subtract(new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)));
        byte[] flipped = sig.clone();
        byte[] hs = highS.toByteArray();
        Arrays.fill(flipped, 32, 64, (byte) 0);
        System.arraycopy(hs, Math.max(0, hs.length - 32), flipped, 64 - Math.min(32, hs.length), Math.min(32, hs.length));
        flipped[64] = (byte) (sig[64] == 27 ? 28 : 27);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SignedRoundKey(signed.announcement(), flipped).verify(DOC_ADDRESS));
        assertTrue(e.getMessage().contains("upper half"), e.getMessage());
        byte[] badV = sig.clone();
        badV[64] = 1;
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new SignedRoundKey(signed.announcement(), badV).verify(DOC_ADDRESS)).getMessage().contains("v must"));
        assertThrows(IllegalArgumentException.class,
                () -> new SignedRoundKey(signed.announcement(), Arrays.copyOf(sig, 64)).verify(DOC_ADDRESS));
        assertThrows(IllegalArgumentException.class, () -> announcement(9, G1.INFINITY));
        assertThrows(IllegalArgumentException.class,
                () -> new RoundKeyAnnouncement(BigInteger.ONE, "0x1234", BigInteger.ONE, 1, DOC_ADDRESS, PK));
    }
}
