package io.zkpfl.contracts;

import io.zkpfl.contracts.generated.RoundCertifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The certifier's field checks against a plain BigInteger reference: points of random polynomials over the
 * BN254 scalar field, perturbed or not, and the tag formula recomputed from its definition.
 */
class RoundCertifierIT {

    private static final BigInteger R = JobMarketIT.R;
    private static TestChain chain;
    private static RoundCertifier certifier;

    @BeforeAll
    static void start() {
        chain = TestChain.start(3, 0);
        certifier = RoundCertifier.load(chain.addresses.certifier(), chain.web3j,
                new ReadonlyTransactionManager(chain.web3j, chain.adminKey.getAddress()), new DefaultGasProvider());
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    /** Reference: interpolate through the first d+1 points (Lagrange) and compare the rest. */
    static boolean onPolynomialOfDegreeAtMost(List<BigInteger> ys, int d) {
        int m = ys.size();
        for (int x = d + 2; x <= m; x++) {
            BigInteger value = BigInteger.ZERO;
            for (int i = 1; i <= d + 1; i++) {
                BigInteger num = BigInteger.ONE;
                BigInteger den = BigInteger.ONE;
                for (int j = 1; j <= d + 1; j++) {
                    if (j != i) {
                        num = num.multiply(BigInteger.valueOf(x - j));
                        den = den.multiply(BigInteger.valueOf(i - j));
                    }
                }
                value = value.add(ys.get(i - 1).multiply(num).multiply(den.mod(R).modInverse(R)));
            }
            if (!value.mod(R).equals(ys.get(x - 1))) {
                return false;
            }
        }
        return true;
    }

    static List<BigInteger> evaluate(List<BigInteger> coefficients, int m) {
        List<BigInteger> ys = new ArrayList<>();
        for (int x = 1; x <= m; x++) {
            BigInteger acc = BigInteger.ZERO;
            for (int c = coefficients.size() - 1; c >= 0; c--) {
                acc = acc.multiply(BigInteger.valueOf(x)).add(coefficients.get(c)).mod(R);
            }
            ys.add(acc);
        }
        return ys;
    }

    static BigInteger randomField(SplittableRandom rng) {
        byte[] b = new byte[32];
        rng.nextBytes(b);
        return new BigInteger(1, b).mod(R);
    }

    @Test
    void degreeCheckAgreesWithLagrangeInterpolation() throws Exception {
        SplittableRandom rng = new SplittableRandom(20261122);
        int checked = 0;
        for (int trial = 0; trial < 40; trial++) {
            int m = 2 + rng.nextInt(7);
            int t = 1 + rng.nextInt(m - 1);
            int degree = rng.nextInt(m);
            List<BigInteger> coefficients = new ArrayList<>();
            for (int c = 0; c <= degree; c++) {
                coefficients.add(randomField(rng));
            }
            List<BigInteger> ys = evaluate(coefficients, m);
            if (rng.nextBoolean()) {
                int at = rng.nextInt(m);
                ys.set(at, ys.get(at).add(BigInteger.valueOf(1 + rng.nextInt(5))).mod(R));
            }
            boolean expected = onPolynomialOfDegreeAtMost(ys, t - 1);
            assertEquals(expected, certifier.degreeAtMost(ys, BigInteger.valueOf(t - 1)).send(),
                    "m=" + m + " t=" + t + " degree=" + degree);
            checked += expected ? 1 : 0;
        }
        // both outcomes were exercised
        org.junit.jupiter.api.Assertions.assertTrue(checked > 3 && checked < 37, "accepted " + checked);
    }

    @Test
    void sharesOfAThresholdPolynomialPassAndOneChangedShareFails() throws Exception {
        SplittableRandom rng = new SplittableRandom(7);
        List<BigInteger> coefficients = List.of(randomField(rng), randomField(rng));
        List<BigInteger> ys = evaluate(coefficients, 3);
        assertEquals(true, certifier.degreeAtMost(ys, BigInteger.ONE).send());
        List<BigInteger> bad = new ArrayList<>(ys);
        bad.set(2, bad.get(2).add(BigInteger.ONE).mod(R));
        assertEquals(false, certifier.degreeAtMost(bad, BigInteger.ONE).send());
        List<BigInteger> outOfRange = new ArrayList<>(ys);
        outOfRange.set(0, R);
        TestChain.assertReverts("FieldElementOutOfRange", () -> {
            try {
                certifier.degreeAtMost(outOfRange, BigInteger.ONE).send();
            } catch (org.web3j.tx.exceptions.ContractCallException e) {
                String data = e.getMessage().replaceAll("(?s).*(0x[0-9a-fA-F]{8,}).*", "$1");
                throw new ChainRevertException("degreeAtMost", RevertReason.decode(data));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void tagsFollowTheirDefinition() throws Exception {
        String market = chain.addresses.market();
        BigInteger onChain = certifier.tag(market, BigInteger.valueOf(42), BigInteger.valueOf(3), BigInteger.ONE,
                BigInteger.ZERO, BigInteger.valueOf(5), BigInteger.TWO).send();
        ByteArrayOutputStream words = new ByteArrayOutputStream();
        for (BigInteger w : List.of(BigInteger.valueOf(chain.anvil.chainId()), Numeric.toBigInt(market),
                BigInteger.valueOf(42), BigInteger.valueOf(3), BigInteger.ONE, BigInteger.ZERO, BigInteger.valueOf(5))) {
            words.write(Numeric.toBytesPadded(w, 32));
        }
        // tag(role, i, k) = keccak256(abi.encode(chainid, market, job, round, attempt, role, i)) mod r, plus k
        BigInteger base = new BigInteger(1, Hash.sha3(words.toByteArray())).mod(R);
        assertEquals(base.add(BigInteger.TWO).mod(R), onChain);
        assertEquals(base, certifier.tagBase(market, BigInteger.valueOf(42), BigInteger.valueOf(3), BigInteger.ONE,
                BigInteger.ZERO, BigInteger.valueOf(5)).send());
    }
}
