package io.zkpfl.trainer.round;

import io.zkpfl.zk.bn254.G1;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.utils.Numeric;

/** G1 points to and from the contract's (x, y) uint256 words. */
final class ChainWords {

    private ChainWords() {
    }

    static G1 point(BigInteger x, BigInteger y) {
        byte[] b = new byte[64];
        System.arraycopy(Numeric.toBytesPadded(x, 32), 0, b, 0, 32);
        System.arraycopy(Numeric.toBytesPadded(y, 32), 0, b, 32, 32);
        return G1.fromEvmBytes(b);
    }

    static List<G1> points(List<BigInteger> words) {
        List<G1> out = new ArrayList<>();
        for (int i = 0; i + 1 < words.size(); i += 2) {
            out.add(point(words.get(i), words.get(i + 1)));
        }
        return out;
    }

    static List<BigInteger> words(List<G1> points) {
        List<BigInteger> out = new ArrayList<>();
        for (G1 p : points) {
            byte[] b = p.toEvmBytes();
            out.add(new BigInteger(1, java.util.Arrays.copyOfRange(b, 0, 32)));
            out.add(new BigInteger(1, java.util.Arrays.copyOfRange(b, 32, 64)));
        }
        return out;
    }
}
