package io.zkpfl.zk.groth16;

import io.zkpfl.zk.bn254.Fr;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.bn254.MsmG1;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * One contribution to the circuit-specific (phase-2) part of a Groth16 set-up: a fresh secret d
 * replaces δ by δ·d, so the keys stay sound as long as any one contributor erased its d. The
 * contribution transcript (a proof of knowledge of d) is not part of this API yet.
 */
public final class Phase2 {

    private Phase2() {
    }

    /** The keys with δ replaced by δ·d for a fresh non-zero d drawn from {@code rng}. */
    public static KeyPair contribute(ProvingKey pk, VerifyingKey vk, RandomGenerator rng) {
        if (pk.numPublic() != vk.numPublic() || !pk.delta2().equals(vk.delta2())) {
            throw new IllegalArgumentException("proving and verifying key do not belong together");
        }
        Fr d;
        do {
            d = Fr.random(rng);
        } while (d.isZero());
        Fr dInv = d.inverse();
        G1 delta1 = pk.delta1().mul(d).normalize();
        var delta2 = pk.delta2().mul(d).normalize();
        G1[] l = scaleAll(pk.l(), dInv);
        G1[] h = scaleAll(pk.h(), dInv);
        ProvingKey npk = new ProvingKey(pk.numWires(), pk.numPublic(), pk.domainSize(), pk.alpha1(),
                pk.beta1(), pk.beta2(), delta1, delta2, pk.a(), pk.b1(), pk.b2(), l, h);
        VerifyingKey nvk = new VerifyingKey(vk.alpha1(), vk.beta2(), vk.gamma2(), delta2, vk.ic());
        return new KeyPair(npk, nvk);
    }

    private static G1[] scaleAll(G1[] points, Fr k) {
        G1[] out = new G1[points.length];
        IntStream.range(0, points.length).parallel().forEach(i -> out[i] = points[i].mul(k));
        return MsmG1.normalizeAll(out);
    }
}
