package io.zkpfl.zk.bn254;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fp against BigInteger arithmetic mod p (seeded samples plus edge values). */
class FpTest {

    private static final BigInteger P = new BigInteger(
            "21888242871839275222246405745257275088696311157297823662689037894645226208583");

    @Test
    void fieldOpsMatchBigInteger() {
        List<BigInteger> xs = FrTest.samples(P, 77, 50);
        for (BigInteger a : xs) {
            Fp x = Fp.fromCanonical(a);
            for (BigInteger b : xs) {
                Fp y = Fp.fromCanonical(b);
                String ctx = "a=" + a + " b=" + b;
                assertEquals(a.add(b).mod(P), x.add(y).toBigInteger(), ctx);
                assertEquals(a.subtract(b).mod(P), x.sub(y).toBigInteger(), ctx);
                assertEquals(a.multiply(b).mod(P), x.mul(y).toBigInteger(), ctx);
            }
            assertEquals(a.multiply(a).mod(P), x.square().toBigInteger());
            if (a.signum() != 0) {
                assertEquals(a.modInverse(P), x.inverse().toBigInteger());
            }
            assertEquals(x, Fp.fromBytesBE(x.toBytesBE()));
        }
    }

    @Test
    void rejectsNonCanonical() {
        byte[] raw = P.toByteArray();
        byte[] b = new byte[32];
        System.arraycopy(raw, raw.length - 32, b, 0, 32);
        assertThrows(IllegalArgumentException.class, () -> Fp.fromBytesBE(b));
        assertThrows(IllegalArgumentException.class, () -> Fp.fromCanonical(P));
    }
}
