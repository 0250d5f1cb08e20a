package io.zkpfl.node;

import io.zkpfl.zk.bn254.Fp;
import io.zkpfl.zk.bn254.G1;
import io.zkpfl.zk.solidity.KzgSolidityVerifier;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** G1 points to and from the contract's x, y words. */
final class Points {

    private Points() {
    }

    static G1 point(BigInteger x, BigInteger y) {
        if (x.signum() == 0 && y.signum() == 0) {
            return G1.INFINITY;
        }
        if (!G1.isOnCurve(Fp.of(x), Fp.of(y))) {
            throw new IllegalArgumentException("point (" + x.toString(16) + ", " + y.toString(16) + ") is not on G1");
        }
        return G1.fromAffine(Fp.of(x), Fp.of(y));
    }

    static List<G1> points(List<BigInteger> words) {
        List<G1> out = new ArrayList<>();
        for (int j = 0; j + 1 < words.size(); j += 2) {
            out.add(point(words.get(j), words.get(j + 1)));
        }
        return out;
    }

    static List<BigInteger> words(G1 p) {
        return List.of(KzgSolidityVerifier.commitmentWords(List.of(p)));
    }
}
