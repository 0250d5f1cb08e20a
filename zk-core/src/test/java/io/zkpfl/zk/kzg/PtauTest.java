package io.zkpfl.zk.kzg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fp;
import io.zkpfl.zk.bn254.Fp2;
import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import io.zkpfl.zk.r1cs.NodeTool;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading snarkjs' {@code .ptau} files: a real snarkjs file (new + contribute + prepare phase2)
 * gives an SRS whose commitments open, and altered, malformed or truncated files are refused with
 * the section and index named. The byte surgery below locates sections and encodes points on its
 * own (BigInteger Montgomery form), independently of {@link PtauCodec}.
 */
class PtauTest {

    private static final int POWER = 5;
    private static final BigInteger P = Fp.MODULUS;
    private static final SplittableRandom RNG = new SplittableRandom(77);
    private static Path snarkjsPtau;
    private static byte[] original;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeFile() throws IOException {
        snarkjsPtau = NodeTool.preparedPtau(POWER);
        original = Files.readAllBytes(snarkjsPtau);
    }

    /** Section type → offset of its data, scanned from the container independently of Ptau. */
    private static Map<Integer, Integer> sections(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int n = b.getInt(8);
        int pos = 12;
        Map<Integer, Integer> out = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int type = b.getInt(pos);
            long size = b.getLong(pos + 4);
            out.put(type, pos + 12);
            pos += 12 + (int) size;
        }
        return out;
    }

    /** 32 little-endian bytes of v·2^256 mod p. */
    private static byte[] mont(BigInteger v) {
        byte[] be = v.shiftLeft(256).mod(P).toByteArray();
        byte[] le = new byte[32];
        for (int i = 0; i < Math.min(32, be.length); i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }

    private static void putG1(byte[] file, int off, BigInteger x, BigInteger y) {
        System.arraycopy(mont(x), 0, file, off, 32);
        System.arraycopy(mont(y), 0, file, off + 32, 32);
    }

    private static void putG1(byte[] file, int off, G1 p) {
        G1 n = p.normalize();
        putG1(file, off, n.affineX().toBigInteger(), n.affineY().toBigInteger());
    }

    private static void putG2(byte[] file, int off, G2 p) {
        G2 n = p.normalize();
        System.arraycopy(mont(n.affineX().c0().toBigInteger()), 0, file, off, 32);
        System.arraycopy(mont(n.affineX().c1().toBigInteger()), 0, file, off + 32, 32);
        System.arraycopy(mont(n.affineY().c0().toBigInteger()), 0, file, off + 64, 32);
        System.arraycopy(mont(n.affineY().c1().toBigInteger()), 0, file, off + 96, 32);
    }

    private Path write(byte[] bytes) throws IOException {
        Path p = Files.createTempFile(dir, "t", ".ptau");
        Files.write(p, bytes);
        return p;
    }

    private PtauException refused(byte[] bytes) throws IOException {
        Path p = write(bytes);
        return assertThrows(PtauException.class, () -> Ptau.read(p));
    }

    @Test
    void snarkjsFileIsReadAndItsSrsCommitsAndOpens() throws IOException {
        Ptau ptau = Ptau.read(snarkjsPtau);
        assertEquals(POWER, ptau.power());
        assertEquals(POWER, ptau.ceremonyPower());
        assertTrue(ptau.complete());
        assertEquals((2 << POWER) - 1, ptau.tauG1Count());
        assertEquals(1 << POWER, ptau.tauG2Count());
        assertEquals(1, ptau.contributions().size());
        assertEquals("zkpfl-test", ptau.contributions().get(0).name());
        // the file's first points as snarkjs stored them, decoded by hand
        int tau1 = sections(original).get(Ptau.TAU_G1);
        assertEquals(G1.GENERATOR, ptau.tauG1(0));
        assertArrayEquals(mont(BigInteger.ONE), Arrays.copyOfRange(original, tau1, tau1 + 32));
        assertEquals(ptau.contributions().get(0).tauG1(), ptau.tauG1(1));

        Srs srs = Srs.fromPtau(snarkjsPtau, 40, 4);
        assertEquals(40, srs.maxLength());
        assertEquals(4, srs.maxBlindingLength());
        assertEquals(ptau.tauG1(39), srs.g(39));
        assertEquals(ptau.alphaTauG1(3), srs.h(3));
        Fr[] v = new Fr[40];
        Fr[] b = new Fr[4];
        Arrays.setAll(v, i -> Fr.random(RNG));
        Arrays.setAll(b, i -> Fr.random(RNG));
        G1 c = Kzg.commit(srs, v, b);
        Opening o = Kzg.open(srs, v, b, Fr.random(RNG));
        assertTrue(Kzg.verify(srs, c, o));
        assertFalse(Kzg.verify(srs, c, new Opening(o.z(), o.y().add(Fr.ONE), o.yHat(), o.proof())));
        assertArrayEquals(srs.hash(), Srs.fromPtau(ptau, 40, 4).hash());
    }

    @Test
    void prefixReadTakesOnlyWhatItNeeds() throws IOException {
        Ptau prefix = Ptau.read(snarkjsPtau, 8, 2);
        assertFalse(prefix.complete());
        assertEquals(8, prefix.tauG1Count());
        assertEquals(2, prefix.tauG2Count());
        assertEquals(8, prefix.alphaTauG1Count());
        assertThrows(IllegalStateException.class, () -> prefix.write(dir.resolve("x.ptau")));
        assertThrows(IllegalArgumentException.class, () -> Srs.fromPtau(prefix, 9, 1));
        assertThrows(IllegalArgumentException.class, () -> Srs.fromPtau(snarkjsPtau, 64, 1));
    }

    @Test
    void writtenFileReadsBackTheSame() throws IOException {
        Ptau ptau = Ptau.read(snarkjsPtau);
        Path out = dir.resolve("copy.ptau");
        ptau.write(out);
        Ptau back = Ptau.read(out);
        assertEquals(ptau.contributions(), back.contributions());
        for (int i = 0; i < ptau.tauG1Count(); i++) {
            assertEquals(ptau.tauG1(i), back.tauG1(i));
        }
        // sections 1–7 are byte-identical to snarkjs' (which adds 12–15 after them)
        byte[] ours = Files.readAllBytes(out);
        int end = sections(original).get(12) - 12;
        assertArrayEquals(Arrays.copyOfRange(original, 12, end), Arrays.copyOfRange(ours, 12, ours.length));
    }

    @Test
    void alteredPowerIsRefusedWithItsIndex() throws IOException {
        Ptau ptau = Ptau.read(snarkjsPtau);
        Map<Integer, Integer> s = sections(original);
        // tauG1[17] replaced by another valid point (2·tauG1[17])
        byte[] f = original.clone();
        putG1(f, s.get(Ptau.TAU_G1) + 17 * 64, ptau.tauG1(17).dbl());
        PtauException e = refused(f);
        assertEquals("tauG1", e.section());
        assertEquals(17, e.index());
        // the last tauG1 point
        f = original.clone();
        int last = ptau.tauG1Count() - 1;
        putG1(f, s.get(Ptau.TAU_G1) + last * 64, ptau.tauG1(last).add(G1.GENERATOR));
        e = refused(f);
        assertEquals("tauG1", e.section());
        assertEquals(last, e.index());
        // alphaTauG1[5]
        f = original.clone();
        putG1(f, s.get(Ptau.ALPHA_TAU_G1) + 5 * 64, ptau.alphaTauG1(5).neg());
        e = refused(f);
        assertEquals("alphaTauG1", e.section());
        assertEquals(5, e.index());
        // betaTauG1[0] changed: betaTauG1[1] no longer follows it
        f = original.clone();
        putG1(f, s.get(Ptau.BETA_TAU_G1), ptau.betaTauG1(0).dbl());
        e = refused(f);
        assertEquals("betaTauG1", e.section());
        assertEquals(1, e.index());
        // tauG2[9], a valid G2 point
        f = original.clone();
        putG2(f, s.get(Ptau.TAU_G2) + 9 * 128, ptau.tauG2(9).dbl());
        e = refused(f);
        assertEquals("tauG2", e.section());
        assertEquals(9, e.index());
        // tauG2[1] (the [τ]_2 of every check)
        f = original.clone();
        putG2(f, s.get(Ptau.TAU_G2) + 128, ptau.tauG2(1).dbl());
        e = refused(f);
        assertEquals("tauG2", e.section());
        assertEquals(1, e.index());
        // betaG2
        f = original.clone();
        putG2(f, s.get(Ptau.BETA_G2), ptau.betaG2().dbl());
        e = refused(f);
        assertEquals("betaG2", e.section());
        // first point not the generator
        f = original.clone();
        putG1(f, s.get(Ptau.TAU_G1), G1.GENERATOR.dbl());
        e = refused(f);
        assertEquals("tauG1", e.section());
        assertEquals(0, e.index());
    }

    @Test
    void pointsOffTheCurveOrOutsideTheSubgroupAreRefused() throws IOException {
        Map<Integer, Integer> s = sections(original);
        Ptau ptau = Ptau.read(snarkjsPtau);
        G1 q = ptau.tauG1(3).normalize();
        byte[] f = original.clone();
        putG1(f, s.get(Ptau.TAU_G1) + 3 * 64, q.affineX().toBigInteger(), q.affineY().toBigInteger().add(BigInteger.ONE));
        PtauException e = refused(f);
        assertEquals("tauG1", e.section());
        assertEquals(3, e.index());
        assertTrue(e.getMessage().contains("not on the curve"), e.getMessage());

        // a coordinate ≥ p (raw Montgomery bytes all 0xff)
        f = original.clone();
        Arrays.fill(f, s.get(Ptau.ALPHA_TAU_G1) + 2 * 64, s.get(Ptau.ALPHA_TAU_G1) + 2 * 64 + 32, (byte) 0xff);
        e = refused(f);
        assertEquals("alphaTauG1", e.section());
        assertEquals(2, e.index());
        assertTrue(e.getMessage().contains("modulus"), e.getMessage());

        // a point on the twist outside the order-r subgroup
        G2 outside = twistPointOutsideG2();
        f = original.clone();
        putG2(f, s.get(Ptau.TAU_G2) + 4 * 128, outside);
        e = refused(f);
        assertEquals("tauG2", e.section());
        assertEquals(4, e.index());
        assertTrue(e.getMessage().contains("subgroup"), e.getMessage());

        // the same inside a contribution's key
        f = original.clone();
        int key = s.get(Ptau.CONTRIBUTIONS) + 4 + 3 * 64 + 2 * 128 + 6 * 64;
        putG2(f, key, outside);
        e = refused(f);
        assertEquals("contributions", e.section());
        assertEquals(1, e.index());
        assertTrue(e.getMessage().contains("key.tau.g2_spx"), e.getMessage());
    }

    /** x = 1, 2, … until x³ + 3/(9+u) is a square: the point is on the twist, and (cofactor 2p − r) almost surely not in G2. */
    private static G2 twistPointOutsideG2() {
        Fp2 b = new Fp2(Fp.of(3), Fp.ZERO).mul(new Fp2(Fp.of(9), Fp.ONE).inverse());
        for (int i = 1;; i++) {
            Fp2 x = new Fp2(Fp.of(i), Fp.ONE);
            Fp2 y = x.square().mul(x).add(b).sqrt();
            if (y != null) {
                G2 p = G2.fromAffine(x, y);
                if (!p.mul(Fr.MODULUS).isInfinity()) {
                    return p;
                }
            }
        }
    }

    @Test
    void truncatedGarbageAndForeignFilesAreRefused() throws IOException {
        PtauException e = refused(Arrays.copyOf(original, original.length / 2));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        e = refused(Arrays.copyOf(original, 7));
        assertTrue(e.getMessage().contains("not a ptau file"), e.getMessage());
        e = refused(new byte[0]);
        assertEquals("file", e.section());
        byte[] garbage = new byte[4096];
        new java.util.Random(5).nextBytes(garbage);
        e = refused(garbage);
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
        // right magic, garbage after it
        System.arraycopy("ptau".getBytes(), 0, garbage, 0, 4);
        garbage[4] = 1;
        garbage[5] = garbage[6] = garbage[7] = 0;
        e = refused(garbage);
        assertEquals("file", e.section());
        // a trailing byte
        e = refused(Arrays.copyOf(original, original.length + 1));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
        // header: another curve's modulus
        byte[] f = original.clone();
        f[sections(original).get(Ptau.HEADER) + 4] ^= 1;
        e = refused(f);
        assertEquals("header", e.section());
        // header: a power the sections do not match
        f = original.clone();
        f[sections(original).get(Ptau.HEADER) + 36] = POWER + 1;
        f[sections(original).get(Ptau.HEADER) + 40] = POWER + 1;
        e = refused(f);
        assertEquals("tauG1", e.section());
        assertTrue(e.getMessage().contains("size"), e.getMessage());
        // contributions section cut short
        f = original.clone();
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(sections(original).get(Ptau.CONTRIBUTIONS), 2);
        e = refused(f);
        assertEquals("contributions", e.section());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Ptau.read(dir.resolve("missing.ptau")));
    }
}
