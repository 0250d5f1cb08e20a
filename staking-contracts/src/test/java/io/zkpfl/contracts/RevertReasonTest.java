package io.zkpfl.contracts;

import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Decoding of revert data against published encodings and independently computed selectors. */
class RevertReasonTest {

    @Test
    void decodesTheRequireStringExampleOfTheSolidityDocs() {
        String data = "0x08c379a0"
                + "0000000000000000000000000000000000000000000000000000000000000020"
                + "000000000000000000000000000000000000000000000000000000000000001a"
                + "4e6f7420656e6f7567682045746865722070726f76696465642e000000000000";
        assertEquals(new RevertReason("Error", List.of("Not enough Ether provided.")), RevertReason.decode(data));
    }

    @Test
    void decodesCustomErrorsOfTheContractsWithTheirArguments() {
        String selector = Hash.sha3String("BelowMinimumStake(uint256,uint256)").substring(0, 10);
        String data = selector + "%064x".formatted(499) + "%064x".formatted(500);
        assertEquals(new RevertReason("BelowMinimumStake", List.of(BigInteger.valueOf(499), BigInteger.valueOf(500))),
                RevertReason.decode(data));

        String notStaked = Hash.sha3String("NotStaked(address)").substring(0, 10)
                + "000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266";
        assertEquals(new RevertReason("NotStaked", List.of("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266")),
                RevertReason.decode(notStaked));

        String reentrant = Hash.sha3String("ReentrancyGuardReentrantCall()").substring(0, 10);
        assertEquals(new RevertReason("ReentrancyGuardReentrantCall", List.of()), RevertReason.decode(reentrant));
    }

    @Test
    void unknownEmptyAndPanicDataStayReadable() {
        assertEquals("Unknown", RevertReason.decode("0xdeadbeef").name());
        assertEquals("Empty", RevertReason.decode("0x").name());
        assertEquals("Empty", RevertReason.decode(null).name());
        assertEquals(new RevertReason("Panic", List.of(BigInteger.valueOf(0x11))),
                RevertReason.decode("0x4e487b71" + "%064x".formatted(0x11)));
    }
}
