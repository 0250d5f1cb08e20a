package io.zkpfl.zk.bn254;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Field-law and Frobenius checks for F_p², F_p⁶ and F_p¹². */
class TowerTest {

    private static final SplittableRandom RNG = new SplittableRandom(2024);

    static Fp2 fp2() {
        return new Fp2(Fp.random(RNG), Fp.random(RNG));
    }

    static Fp6 fp6() {
        return new Fp6(fp2(), fp2(), fp2());
    }

    static Fp12 fp12() {
        return new Fp12(fp6(), fp6());
    }

    @RepeatedTest(10)
    void fp2Laws() {
        Fp2 a = fp2(), b = fp2(), c = fp2();
        assertEquals(a.mul(b).mul(c), a.mul(b.mul(c)));
        assertEquals(a.mul(b.add(c)), a.mul(b).add(a.mul(c)));
        assertEquals(a.square(), a.mul(a));
        assertTrue(a.mul(a.inverse()).isOne());
        assertEquals(a.mul(Fp2.XI), a.mulByXi());
        // u² = -1
        Fp2 u = new Fp2(Fp.ZERO, Fp.ONE);
        assertEquals(Fp2.ONE.neg(), u.square());
        // conjugation is the Frobenius x ↦ x^p
        assertEquals(a.pow(Fp.MODULUS), a.conjugate());
    }

    @RepeatedTest(5)
    void fp6AndFp12Laws() {
        Fp6 a = fp6(), b = fp6(), c = fp6();
        assertEquals(a.mul(b).mul(c), a.mul(b.mul(c)));
        assertEquals(a.mul(b.add(c)), a.mul(b).add(a.mul(c)));
        Fp6 inv = a.inverse();
        assertEquals(Fp6.ONE, a.mul(inv));
        Fp6 v = new Fp6(Fp2.ZERO, Fp2.ONE, Fp2.ZERO);
        assertEquals(a.mul(v), a.mulByV());
        // v³ = ξ
        assertEquals(new Fp6(Fp2.XI, Fp2.ZERO, Fp2.ZERO), v.mul(v).mul(v));

        Fp12 x = fp12(), y = fp12(), z = fp12();
        assertEquals(x.mul(y).mul(z), x.mul(y.mul(z)));
        assertEquals(x.square(), x.mul(x));
        assertTrue(x.mul(x.inverse()).isOne());
        // w² = v
        Fp12 w = new Fp12(Fp6.ZERO, Fp6.ONE);
        assertEquals(new Fp12(v, Fp6.ZERO), w.square());
    }

    @Test
    void frobeniusIsPowerOfP() {
        Fp12 x = fp12();
        BigInteger p = Fp.MODULUS;
        assertEquals(x.pow(p), x.frobenius(1));
        assertEquals(x.pow(p.pow(2)), x.frobenius(2));
        assertEquals(x.frobenius(1).frobenius(2), x.frobenius(3));
        assertEquals(x.frobenius(3).frobenius(3), x.conjugate());
    }
}
