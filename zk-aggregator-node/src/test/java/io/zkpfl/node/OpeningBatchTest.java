package io.zkpfl.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.contracts.MarketClient;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/** The signed openings a node hands to the Raft leader: their log encoding and who signed them. */
class OpeningBatchTest {

    static final String MARKET = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    static final Credentials NODE = Credentials.create(
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"); // Anvil dev account 1
    static final List<BigInteger> WORDS = List.of(new BigInteger("1234567890123456789"), BigInteger.TWO,
            BigInteger.valueOf(3), new BigInteger("21888242871839275222246405745257275088696311157297823662689037894645226208582"),
            BigInteger.ONE);

    @Test
    void theSignerOfChainClientsSignOffIsRecovered() {
        byte[] sig = MarketClient.signOpening(NODE, MARKET, 31337, BigInteger.valueOf(7), 2, 1, 3, WORDS);
        assertEquals(NODE.getAddress().toLowerCase(),
                OpeningSignatures.signer(MARKET, 31337, BigInteger.valueOf(7), 2, 1, 3, WORDS, sig).toLowerCase());
        // the same signature over another k, attempt or word names someone else
        assertNotEquals(NODE.getAddress().toLowerCase(),
                OpeningSignatures.signer(MARKET, 31337, BigInteger.valueOf(7), 2, 1, 2, WORDS, sig).toLowerCase());
        assertNotEquals(NODE.getAddress().toLowerCase(),
                OpeningSignatures.signer(MARKET, 31337, BigInteger.valueOf(7), 2, 2, 3, WORDS, sig).toLowerCase());
        List<BigInteger> other = new ArrayList<>(WORDS);
        other.set(1, BigInteger.valueOf(5));
        assertNotEquals(NODE.getAddress().toLowerCase(),
                OpeningSignatures.signer(MARKET, 31337, BigInteger.valueOf(7), 2, 1, 3, other, sig).toLowerCase());
        assertThrows(IllegalArgumentException.class, () -> OpeningSignatures.signer(MARKET, 31337,
                BigInteger.valueOf(7), 2, 1, 3, WORDS, new byte[64]));
    }

    @Test
    void aSignedOpeningSurvivesTheRaftLogAndGarbageIsIgnored() {
        byte[] sig = MarketClient.signOpening(NODE, MARKET, 31337, BigInteger.valueOf(7), 2, 1, 3, WORDS);
        var o = new CommitteeRaft.SignedOpening(BigInteger.valueOf(7), 2, 1, 3, WORDS, sig);
        var back = CommitteeRaft.SignedOpening.fromBytes(o.toBytes()).orElseThrow();
        assertEquals(o.job(), back.job());
        assertEquals(List.of(2, 1, 3), List.of(back.round(), back.attempt(), back.k()));
        assertEquals(WORDS, back.words());
        assertArrayEquals(sig, back.signature());
        assertEquals("7/2/1", back.attemptKey());
        for (String bad : List.of("", "opening/1|7|2|1|3|1,2|00", "opening/2|7|2|1|3|1,2,3,4,5|00",
                "opening/1|x|2|1|3|1,2,3,4,5|00", "opening/1|7|2|1|3|1,2,3,4,5|zz")) {
            assertTrue(CommitteeRaft.SignedOpening.fromBytes(bad.getBytes(StandardCharsets.UTF_8)).isEmpty(), bad);
        }
    }
}
