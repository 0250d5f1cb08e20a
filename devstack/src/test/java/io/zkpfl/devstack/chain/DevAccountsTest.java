package io.zkpfl.devstack.chain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DevAccountsTest {

    @Test
    void firstAccountIsTheWellKnownFoundryDeployer() {
        // Published in Foundry's and Hardhat's documentation for the "test … junk" mnemonic.
        assertEquals("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", DevAccounts.address(0));
        assertEquals("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", DevAccounts.privateKey(0));
    }

    @Test
    void keysAreThirtyTwoByteHex() {
        for (int i = 0; i < DevAccounts.COUNT; i++) {
            assertEquals(66, DevAccounts.privateKey(i).length());
            assertEquals(42, DevAccounts.address(i).length());
        }
    }

    @Test
    void indexOutsideTheTenAccountsIsRejected() {
        assertThrows(IndexOutOfBoundsException.class, () -> DevAccounts.address(10));
        assertThrows(IndexOutOfBoundsException.class, () -> DevAccounts.privateKey(-1));
    }
}
