package io.zkpfl.zk.groth16;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.G2;
import io.zkpfl.zk.bn254.Pairing;
import io.zkpfl.zk.r1cs.R1cs;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The prepared-key verification path against the plain four-pair pairing check. */
class PreparedVerifyingKeyTest {

    private static final SplittableRandom RNG = new SplittableRandom(0x5EED);

    @Test
    void publicCombinationEqualsTheNaiveSum() {
        R1cs chain = TinyCircuits.chain(4);
        KeyPair k = Groth16.setup(chain, RNG);
        PreparedVerifyingKey pvk = PreparedVerifyingKey.of(k.verifyingKey());
        for (int round = 0; round < 5; round++) {
            Fr[] xs = {Fr.random(RNG), round == 0 ? Fr.ZERO : Fr.random(RNG), Fr.of(-1)};
            G1 naive = k.verifyingKey().ic(0);
            for (int i = 0; i < xs.length; i++) {
                naive = naive.add(k.verifyingKey().ic(i + 1).mul(xs[i]));
            }
            assertEquals(naive, pvk.publicCombination(xs));
        }
    }

    @Test
    void preparedPathAgreesWithThePlainPairingCheckOnValidAndForgedProofs() {
        R1cs chain = TinyCircuits.chain(10);
        KeyPair k = Groth16.setup(chain, RNG);
        VerifyingKey vk = k.verifyingKey();
        PreparedVerifyingKey pvk = PreparedVerifyingKey.of(vk);
        Fr[] w = TinyCircuits.chainWitness(2, 3, 4, 5, 10);
        Fr[] pub = TinyCircuits.publicOf(w, 3);
        Proof good = Groth16.prove(k.provingKey(), chain, w, RNG);
        Proof[] proofs = {good, new Proof(good.a().dbl(), good.b(), good.c()),
            new Proof(good.a(), good.b().add(G2.GENERATOR), good.c()), new Proof(good.a(), good.b(), good.c().neg())};
        Fr[][] inputs = {pub, {pub[0], pub[1], pub[2].add(Fr.ONE)}};
        int accepted = 0;
        for (Proof p : proofs) {
            for (Fr[] x : inputs) {
                G1 vkx = vk.ic(0);
                for (int i = 0; i < x.length; i++) {
                    vkx = vkx.add(vk.ic(i + 1).mul(x[i]));
                }
                boolean plain = Pairing.check(new G1[] {p.a().neg(), vk.alpha1(), vkx, p.c()},
                        new G2[] {p.b(), vk.beta2(), vk.gamma2(), vk.delta2()});
                boolean prepared = Groth16.verify(pvk, x, p);
                assertEquals(plain, prepared);
                assertEquals(plain, Groth16.verify(vk, x, p));
                if (prepared) {
                    accepted++;
                }
            }
        }
        assertEquals(1, accepted);
        // the cached preparation of one key is not reused for another
        KeyPair other = Groth16.setup(chain, RNG);
        assertTrue(Groth16.verify(vk, pub, good));
        assertFalse(Groth16.verify(other.verifyingKey(), pub, good));
        assertTrue(Groth16.verify(vk, pub, good));
        assertThrows(IllegalArgumentException.class, () -> Groth16.verify(pvk, new Fr[2], good));
    }
}
