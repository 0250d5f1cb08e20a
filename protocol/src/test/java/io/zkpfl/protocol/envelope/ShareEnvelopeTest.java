package io.zkpfl.protocol.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.protocol.vss.Share;
import io.zkpfl.protocol.wire.WireFormatException;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ShareEnvelopeTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final EnvelopeTag TAG = new EnvelopeTag(BigInteger.valueOf(42), 7, 1, 3, 2);

    private static Share share(int node, int len, Random rnd) {
        Fr[] v = new Fr[len];
        for (int j = 0; j < len; j++) {
            v[j] = Fr.random(rnd);
        }
        Fr[] b = new Fr[5];
        for (int j = 0; j < 5; j++) {
            b[j] = Fr.random(rnd);
        }
        return new Share(node, v, b);
    }

    @Test
    void hkdfMatchesRfc5869() {
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);
        // Test case 1
        assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
                HEX.formatHex(EnvelopeKeys.hkdfSha256(ikm, HEX.parseHex("000102030405060708090a0b0c"),
                        HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42)));
        // Test case 3: no salt, no info — the salt-less path the envelopes use
        assertEquals("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
                HEX.formatHex(EnvelopeKeys.hkdfSha256(ikm, null, new byte[0], 42)));
    }

    @Test
    void aesGcmMatchesTheGcmSpecificationVectors() {
        // McGrew–Viega test case 14: 256-bit zero key, zero nonce, one zero block
        assertEquals("cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919",
                HEX.formatHex(Aes256Gcm.seal(new byte[32], new byte[12], new byte[0], new byte[16])));
        // Test case 16: with associated data
        byte[] key = HEX.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        byte[] nonce = HEX.parseHex("cafebabefacedbaddecaf888");
        byte[] aad = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] pt = HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        String expected = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b";
        assertEquals(expected, HEX.formatHex(Aes256Gcm.seal(key, nonce, aad, pt)));
        assertArrayEquals(pt, Aes256Gcm.open(key, nonce, aad, HEX.parseHex(expected)));
        byte[] otherAad = aad.clone();
        otherAad[0] ^= 1;
        assertThrows(EnvelopeRejectedException.class, () -> Aes256Gcm.open(key, nonce, otherAad, HEX.parseHex(expected)));
    }

    @Test
    void keysAreHkdfOfTheSharedPointByAnIndependentHmacComputation() throws Exception {
        G1 k = G1.GENERATOR.mul(Fr.of(123_456_789)).normalize();
        EnvelopeKeys keys = EnvelopeKeys.fromSharedPoint(k);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        byte[] prk = mac.doFinal(k.toEvmBytes());
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update("zkPFL share envelope v1: AES-256-GCM key and nonce".getBytes());
        mac.update((byte) 1);
        byte[] t1 = mac.doFinal();
        mac.update(t1);
        mac.update("zkPFL share envelope v1: AES-256-GCM key and nonce".getBytes());
        mac.update((byte) 2);
        byte[] t2 = mac.doFinal();
        assertArrayEquals(t1, keys.key());
        assertArrayEquals(Arrays.copyOf(t2, 12), keys.nonce());
        assertEquals("EnvelopeKeys[redacted]", keys.toString());
    }

    @Test
    void roundTripWithTheSecretKeyAndWithTheSharedPointAlone() {
        Random rnd = new Random(1);
        NodeRoundKey node = NodeRoundKey.generate(rnd);
        Share s = share(2, 37, rnd);
        ShareEnvelope env = ShareEnvelope.seal(node.publicKey(), TAG, s, rnd);
        assertEquals(s, env.open(node, TAG));
        G1 k = env.ephemeral().mul(node.secret());
        assertEquals(s, env.openWithSharedPoint(k, TAG));
        assertEquals(2 + 48 + 64 + 4 + 8 + 32 * 42 + 16, env.toBytes().length);
        assertEquals(env, ShareEnvelope.fromBytes(env.toBytes()));
        ShareEnvelope again = ShareEnvelope.seal(node.publicKey(), TAG, s, rnd);
        assertNotEquals(env.ephemeral(), again.ephemeral(), "a fresh ephemeral key per envelope");
        assertFalse(Arrays.equals(env.ciphertext(), again.ciphertext()));
        assertFalse(node.toString().contains(node.secret().toBigInteger().toString()));
    }

    @Test
    void tamperingWrongTagsAndWrongKeysAreRefused() {
        Random rnd = new Random(2);
        NodeRoundKey node = NodeRoundKey.generate(rnd);
        ShareEnvelope env = ShareEnvelope.seal(node.publicKey(), TAG, share(2, 9, rnd), rnd);

        byte[] ct = env.ciphertext().clone();
        ct[40] ^= 0x20;
        var tampered = assertThrows(EnvelopeRejectedException.class,
                () -> new ShareEnvelope(TAG, env.ephemeral(), ct).open(node, TAG));
        assertTrue(tampered.getMessage().contains("authentication failed"), tampered.getMessage());

        EnvelopeTag otherRound = new EnvelopeTag(BigInteger.valueOf(42), 8, 1, 3, 2);
        EnvelopeTag otherNode = new EnvelopeTag(BigInteger.valueOf(42), 7, 1, 3, 3);
        assertTrue(assertThrows(EnvelopeRejectedException.class, () -> env.open(node, otherRound)).getMessage()
                .contains("expected"));
        var retagged = new ShareEnvelope(otherNode, env.ephemeral(), env.ciphertext());
        assertTrue(assertThrows(EnvelopeRejectedException.class, () -> retagged.open(node, otherNode)).getMessage()
                .contains("authentication failed"), "the tag is authenticated, not just compared");

        NodeRoundKey stranger = NodeRoundKey.generate(rnd);
        assertThrows(EnvelopeRejectedException.class, () -> env.open(stranger, TAG));
        assertThrows(EnvelopeRejectedException.class, () -> env.openWithSharedPoint(G1.GENERATOR, TAG));
        var infinity = assertThrows(EnvelopeRejectedException.class, () -> env.openWithSharedPoint(G1.INFINITY, TAG));
        assertTrue(infinity.getMessage().contains("infinity"));
        assertThrows(IllegalArgumentException.class,
                () -> ShareEnvelope.seal(G1.INFINITY, TAG, share(2, 3, rnd), rnd));
        assertThrows(IllegalArgumentException.class,
                () -> ShareEnvelope.seal(node.publicKey(), TAG, share(1, 3, rnd), rnd));
    }

    @Test
    void wireDecodingRefusesBadPointsVersionsAndLengths() {
        Random rnd = new Random(3);
        NodeRoundKey node = NodeRoundKey.generate(rnd);
        byte[] good = ShareEnvelope.seal(node.publicKey(), TAG, share(2, 4, rnd), rnd).toBytes();
        int eAt = 2 + 48;

        byte[] offCurve = good.clone();
        offCurve[eAt + 63] ^= 1; // y + 1 (or − 1): no longer on y² = x³ + 3
        var e1 = assertThrows(WireFormatException.class, () -> ShareEnvelope.fromBytes(offCurve));
        assertTrue(e1.getMessage().contains("field E") && e1.getMessage().contains("not a BN254 G1 point"), e1.getMessage());

        byte[] atInfinity = good.clone();
        Arrays.fill(atInfinity, eAt, eAt + 64, (byte) 0);
        assertTrue(assertThrows(WireFormatException.class, () -> ShareEnvelope.fromBytes(atInfinity)).getMessage()
                .contains("infinity"));

        byte[] coordinateTooLarge = good.clone();
        Arrays.fill(coordinateTooLarge, eAt, eAt + 32, (byte) 0xFF);
        assertThrows(WireFormatException.class, () -> ShareEnvelope.fromBytes(coordinateTooLarge));

        byte[] v2 = good.clone();
        v2[0] = 2;
        assertTrue(assertThrows(WireFormatException.class, () -> ShareEnvelope.fromBytes(v2)).getMessage()
                .contains("unsupported version 2"));
        var shortInput = assertThrows(WireFormatException.class,
                () -> ShareEnvelope.fromBytes(Arrays.copyOf(good, good.length - 1)));
        assertTrue(shortInput.getMessage().contains("truncated at field ciphertext"), shortInput.getMessage());
        var longInput = assertThrows(WireFormatException.class,
                () -> ShareEnvelope.fromBytes(Arrays.copyOf(good, good.length + 1)));
        assertTrue(longInput.getMessage().contains("1 unexpected bytes"), longInput.getMessage());
    }

    @Test
    void tagEncodingIsWrittenOutByHand() {
        EnvelopeTag tag = new EnvelopeTag(new BigInteger("0102", 16), 0x0A0B0C0DL, 2, 5, 3);
        String expected = "0000000000000000000000000000000000000000000000000000000000000102" // job
                + "0a0b0c0d" // round
                + "00000002" // attempt
                + "00000005" // i
                + "00000003"; // k
        assertEquals(expected, HEX.formatHex(tag.toBytes()));
    }
}
