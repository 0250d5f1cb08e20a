package io.zkpfl.zk.bn254;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Pairing bilinearity, exactness of the final exponentiation, and the EIP-197 vectors. */
class PairingTest {

    private static final SplittableRandom RNG = new SplittableRandom(5);

    @Test
    void bilinearAndNonDegenerate() {
        Fr a = Fr.random(RNG), b = Fr.random(RNG);
        Fp12 e = Pairing.pair(G1.GENERATOR, G2.GENERATOR);
        assertFalse(e.isOne());
        assertTrue(e.pow(Fr.MODULUS).isOne());
        Fp12 eab = Pairing.pair(G1.GENERATOR.mul(a), G2.GENERATOR.mul(b));
        assertEquals(e.pow(a.mul(b).toBigInteger()), eab);
        assertEquals(Pairing.pair(G1.GENERATOR.mul(a.mul(b)), G2.GENERATOR), eab);
        assertTrue(Pairing.check(
                new G1[] {G1.GENERATOR.mul(a), G1.GENERATOR.mul(b).neg()},
                new G2[] {G2.GENERATOR.mul(b), G2.GENERATOR.mul(a)}));
        assertFalse(Pairing.check(
                new G1[] {G1.GENERATOR.mul(a), G1.GENERATOR.mul(b)},
                new G2[] {G2.GENERATOR.mul(b), G2.GENERATOR.mul(a)}));
        assertTrue(Pairing.pair(G1.INFINITY, G2.GENERATOR).isOne());
    }

    @Test
    void finalExponentiationMatchesTheDefiningPower() {
        Fp12 f = TowerTest.fp12();
        BigInteger p = Fp.MODULUS;
        BigInteger exp = p.pow(12).subtract(BigInteger.ONE).divide(Fr.MODULUS);
        assertEquals(f.pow(exp), Pairing.finalExponentiation(f));
        assertNotEquals(Fp12.ONE, Pairing.finalExponentiation(f));
    }

    @Test
    void cyclotomicSquareEqualsSquareOnTheCyclotomicSubgroup() {
        for (int i = 0; i < 5; i++) {
            Fp12 f = TowerTest.fp12();
            Fp12 g = f.conjugate().mul(f.inverse());
            g = g.frobenius(2).mul(g);
            assertEquals(g.square(), g.cyclotomicSquare());
            int[] digits = {1, 0, -1, 1, 0, 0, -1};
            assertEquals(g.pow(BigInteger.valueOf(64 - 16 + 8 - 1)), g.cyclotomicPow(digits));
            BigInteger e = BigInteger.valueOf(Long.MAX_VALUE - 12345 * i);
            for (int w = 2; w <= 5; w++) {
                int[] wn = Pairing.wnaf(e, w);
                BigInteger back = BigInteger.ZERO;
                for (int d : wn) {
                    back = back.shiftLeft(1).add(BigInteger.valueOf(d));
                }
                assertEquals(e, back, "w-NAF of width " + w);
                assertEquals(g.pow(e), g.cyclotomicPow(wn));
            }
            // off the subgroup the shortcut is wrong, so the test above is not vacuous
            assertNotEquals(f.square(), f.cyclotomicSquare());
        }
    }

    @Test
    void sparseLineProductEqualsDenseProduct() {
        for (int i = 0; i < 5; i++) {
            Fp12 f = TowerTest.fp12();
            Fp2 l0 = TowerTest.fp2(), l1 = TowerTest.fp2(), l3 = TowerTest.fp2();
            Fp12 dense = new Fp12(new Fp6(l0, Fp2.ZERO, Fp2.ZERO), new Fp6(l1, l3, Fp2.ZERO));
            assertEquals(f.mul(dense), f.mulByLine(l0, l1, l3));
        }
    }

    @Test
    void fastPairingEqualsTheReferenceImplementationOnRandomInputs() {
        for (int i = 0; i < 6; i++) {
            G1 p = G1.GENERATOR.mul(Fr.random(RNG));
            G2 q = G2.GENERATOR.mul(Fr.random(RNG));
            Fp12 expected = ReferencePairing.pair(p, q);
            assertEquals(expected, Pairing.pair(p, q));
            // precomputed lines of a fixed Q, shared loop with other pairs
            G2Prepared prepared = G2Prepared.of(q);
            assertEquals(expected, Pairing.finalExponentiation(Pairing.millerLoop(new G1[] {p}, new G2Prepared[] {prepared})));
            G1 p2 = G1.GENERATOR.mul(Fr.random(RNG));
            G2 q2 = G2.GENERATOR.mul(Fr.random(RNG));
            Fp12 both = Pairing.finalExponentiation(Pairing.millerLoop(new G1[] {p, p2},
                    new G2Prepared[] {prepared, G2Prepared.of(q2)}));
            assertEquals(expected.mul(ReferencePairing.pair(p2, q2)), both);
        }
        Fp12 f = TowerTest.fp12();
        assertEquals(ReferencePairing.finalExponentiation(f), Pairing.finalExponentiation(f));
        assertTrue(Pairing.millerLoop(new G1[] {G1.INFINITY}, new G2Prepared[] {G2Prepared.of(G2.GENERATOR)}).isOne());
        assertTrue(G2Prepared.of(G2.INFINITY).isInfinity());
    }

    @Test
    void eip197Vectors() throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (var in = getClass().getResourceAsStream("eip197-pairing-vectors.txt");
                var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    rows.add(line.trim().split(" "));
                }
            }
        }
        assertEquals(6, rows.size());
        HexFormat hex = HexFormat.of();
        for (String[] row : rows) {
            byte[] input = hex.parseHex(row[2]);
            int n = input.length / 192;
            G1[] ps = new G1[n];
            G2[] qs = new G2[n];
            for (int i = 0; i < n; i++) {
                ps[i] = G1.fromEvmBytes(java.util.Arrays.copyOfRange(input, 192 * i, 192 * i + 64));
                qs[i] = G2.fromEvmBytes(java.util.Arrays.copyOfRange(input, 192 * i + 64, 192 * i + 192));
            }
            assertEquals(row[1].equals("1"), Pairing.check(ps, qs), row[0]);
        }
    }
}
