package io.zkpfl.protocol.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.protocol.envelope.NodeRoundKey;
import io.zkpfl.protocol.wire.WireFormatException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;

class SealedBundleTest {

    private static final SplittableRandom RNG = new SplittableRandom(5);

    static ValidationBundle bundle(int n, int groups) {
        byte[] px = new byte[n * 4];
        byte[] labels = new byte[n];
        byte[] ids = groups == 0 ? null : new byte[n];
        for (int i = 0; i < n; i++) {
            px[4 * i] = (byte) i;
            px[4 * i + 3] = (byte) (255 - i);
            labels[i] = (byte) (i % 10);
            if (ids != null) {
                ids[i] = (byte) (i % groups);
            }
        }
        return new ValidationBundle(2, 2, px, labels, ids, groups);
    }

    @Test
    void theCanonicalBytesAreFixedAndRoundTrip() {
        ValidationBundle b = bundle(3, 2);
        byte[] bytes = b.toBytes();
        // "ZKPFLVAL", version 1, count 3, 2x2, 2 groups, then pixels, labels, groups: written out here by hand
        assertEquals("5a4b50464c56414c" + "01" + "00000003" + "0002" + "0002" + "02"
                + "000000ff" + "010000fe" + "020000fd" + "000102" + "000100", HexFormat.of().formatHex(bytes));
        assertEquals(b, ValidationBundle.fromBytes(bytes));
        assertArrayEquals(Hash.sha3(bytes), b.hash());
    }

    @Test
    void malformedOrOversizedBundlesAreRefused() {
        byte[] bytes = bundle(3, 0).toBytes();
        assertThrows(WireFormatException.class, () -> ValidationBundle.fromBytes(Arrays.copyOf(bytes, bytes.length + 1)));
        assertThrows(WireFormatException.class, () -> ValidationBundle.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)));
        byte[] groupOutOfRange = bundle(3, 2).toBytes();
        groupOutOfRange[groupOutOfRange.length - 1] = 5;
        WireFormatException e = assertThrows(WireFormatException.class, () -> ValidationBundle.fromBytes(groupOutOfRange));
        assertTrue(e.getMessage().contains("group 5"), e.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> new ValidationBundle(1024, 1024, new byte[65 << 20], new byte[65], null, 0));
        assertTrue(big.getMessage().contains("more than the " + ValidationBundle.MAX_BYTES), big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bundle(3, 65));
        assertThrows(WireFormatException.class, () -> ValidationBundle.fromBytes(new byte[ValidationBundle.MAX_BYTES + 1]));
    }

    @Test
    void theEvaluatorOpensWhatTheOwnerSealedAndTheCommitmentBindsBoth() {
        NodeRoundKey evaluator = NodeRoundKey.generate(RNG);
        byte[] plain = bundle(50, 4).toBytes();
        SealedBundle.Sealed s = SealedBundle.seal(plain, evaluator.publicKey(), RNG);
        SealedBundle.Opened o = SealedBundle.open(s.bytes(), evaluator);
        assertArrayEquals(plain, o.bundle());
        assertArrayEquals(s.contentKey(), o.contentKey());
        assertArrayEquals(Hash.sha3(plain), o.bundleHash());
        byte[] expected = Hash.sha3(concat(Hash.sha3(plain), s.contentKey()));
        assertArrayEquals(expected, s.commitment());
        assertArrayEquals(expected, SealedBundle.commitment(o.bundleHash(), o.contentKey()));
        // the disclosed content key opens it without the evaluator
        assertArrayEquals(plain, SealedBundle.openWithContentKey(s.bytes(), s.contentKey()).bundle());
        assertFalse(s.toString().contains(HexFormat.of().formatHex(s.contentKey())));
        // a second sealing of the same bundle has another key, so another commitment
        assertNotEquals(HexFormat.of().formatHex(s.commitment()),
                HexFormat.of().formatHex(SealedBundle.seal(plain, evaluator.publicKey(), RNG).commitment()));
    }

    @Test
    void anotherKeyOrAlteredBytesDoNotOpen() {
        NodeRoundKey evaluator = NodeRoundKey.generate(RNG);
        NodeRoundKey other = NodeRoundKey.generate(RNG);
        SealedBundle.Sealed s = SealedBundle.seal(bundle(20, 0).toBytes(), evaluator.publicKey(), RNG);
        ValidationRejectedException wrong = assertThrows(ValidationRejectedException.class, () -> SealedBundle.open(s.bytes(), other));
        assertTrue(wrong.getMessage().contains("does not open with this evaluator's key"), wrong.getMessage());
        byte[] tampered = s.bytes().clone();
        tampered[tampered.length - 20] ^= 1;
        ValidationRejectedException t = assertThrows(ValidationRejectedException.class, () -> SealedBundle.open(tampered, evaluator));
        assertTrue(t.getMessage().contains("altered"), t.getMessage());
        byte[] header = s.bytes().clone();
        header[140] ^= 1; // in the nonce: authenticated as associated data
        assertThrows(ValidationRejectedException.class, () -> SealedBundle.open(header, evaluator));
        byte[] key = s.contentKey().clone();
        key[0] ^= 1;
        assertThrows(ValidationRejectedException.class, () -> SealedBundle.openWithContentKey(s.bytes(), key));
        assertThrows(ValidationRejectedException.class, () -> SealedBundle.open(Arrays.copyOf(s.bytes(), 100), evaluator));
        assertThrows(IllegalArgumentException.class,
                () -> SealedBundle.seal(new byte[ValidationBundle.MAX_BYTES + 1], evaluator.publicKey(), RNG));
    }

    @Test
    void theEvaluatorKeyIsDerivedFromItsAccountAndItsStatementIsCheckedAgainstTheEvaluator() {
        ECKeyPair account = ECKeyPair.create(BigInteger.valueOf(0x1234567));
        ECKeyPair stranger = ECKeyPair.create(BigInteger.valueOf(0x7654321));
        EvaluatorEncryptionKey k = EvaluatorEncryptionKey.derive(account);
        assertEquals(k.publicKey(), EvaluatorEncryptionKey.derive(account).publicKey(), "deterministic");
        assertNotEquals(k.publicKey(), EvaluatorEncryptionKey.derive(stranger).publicKey());
        EvaluatorEncryptionKey.Statement st = k.statement(31337, account);
        String evaluator = st.evaluator();
        assertEquals(k.publicKey(), st.verify(31337, evaluator));
        ValidationRejectedException chain = assertThrows(ValidationRejectedException.class, () -> st.verify(1, evaluator));
        assertTrue(chain.getMessage().contains("chain 31337"), chain.getMessage());
        // a server that hands out its own key, signed by itself, under the evaluator's name
        EvaluatorEncryptionKey.Statement forged = EvaluatorEncryptionKey.derive(stranger).statement(31337, stranger);
        String message = EvaluatorEncryptionKey.message(31337, evaluator, EvaluatorEncryptionKey.derive(stranger).publicKey());
        EvaluatorEncryptionKey.Statement relabelled = new EvaluatorEncryptionKey.Statement(31337, evaluator,
                forged.publicKey(), message, forged.signature());
        ValidationRejectedException e = assertThrows(ValidationRejectedException.class, () -> relabelled.verify(31337, evaluator));
        assertTrue(e.getMessage().contains("not by the evaluator"), e.getMessage());
        // the sealed bundle opens with the derived key
        SealedBundle.Sealed s = SealedBundle.seal(bundle(5, 0).toBytes(), st.verify(31337, evaluator), RNG);
        assertEquals(5, ValidationBundle.fromBytes(SealedBundle.open(s.bytes(), k.keyPair()).bundle()).count());
        assertFalse(k.toString().contains(k.keyPair().secret().toString()));
    }

    @Test
    void perGroupAccuraciesRoundDownAndIgnoreIdsOutsideTheGroups() {
        boolean[] hit = {true, false, true, true, false, true, true};
        int[] group = {0, 0, 0, 1, 1, 2, 7};
        // group 0: 2 of 3 → 666666; group 1: 1 of 2 → 500000; group 2: 1 of 1; group 3: no samples → 0
        assertEquals(List.of(666_666, 500_000, 1_000_000, 0), Accuracies.perGroup(hit, group, 4));
        assertEquals(714_285, Accuracies.ppm(5, 7));
    }

    @Test
    void aBundleIsUsedOnlyUnderItsCommitmentAndGroupCount(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        NodeRoundKey evaluator = NodeRoundKey.generate(RNG);
        ValidationBundle b = bundle(30, 3);
        SealedBundle.Sealed s = SealedBundle.seal(b.toBytes(), evaluator.publicKey(), RNG);
        assertEquals(b, SealedBundle.openChecked(s.bytes(), evaluator, s.commitment(), 3));
        assertEquals(b, SealedBundle.openDisclosed(s.bytes(), s.contentKey(), s.commitment(), 3));
        byte[] other = s.commitment().clone();
        other[31] ^= 1;
        ValidationRejectedException e = assertThrows(ValidationRejectedException.class,
                () -> SealedBundle.openChecked(s.bytes(), evaluator, other, 3));
        assertTrue(e.getMessage().contains("does not match the job's commitment"), e.getMessage());
        ValidationRejectedException g = assertThrows(ValidationRejectedException.class,
                () -> SealedBundle.openDisclosed(s.bytes(), s.contentKey(), s.commitment(), 4));
        assertTrue(g.getMessage().contains("has 3 groups, the job names 4"), g.getMessage());

        java.nio.file.Path file = dir.resolve("keys/job-validation.json");
        ValidationDisclosure d = new ValidationDisclosure("bafy", s.commitment(), 3, s.bundleHash(), s.contentKey());
        d.write(file);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(file)));
        ValidationDisclosure back = ValidationDisclosure.read(file);
        assertArrayEquals(s.contentKey(), back.contentKey());
        assertArrayEquals(s.bundleHash(), back.bundleHash());
        assertEquals(3, back.groups());
        assertFalse(back.toString().contains(HexFormat.of().formatHex(s.contentKey())));
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> d.write(file));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
