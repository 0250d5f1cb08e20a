package io.zkpfl.devstack.chain;

import io.zkpfl.protocol.chain.DevChainKeys;
import java.util.List;

/**
 * The ten accounts Anvil derives from the standard dev mnemonic
 * ({@value AnvilOptions#DEV_MNEMONIC}, path {@code m/44'/60'/0'/0/i}).
 *
 * <p>These keys are public knowledge and fund only local dev chains; never use them elsewhere.
 */
public final class DevAccounts {

    /** Number of accounts listed here. */
    public static final int COUNT = 10;

    private static final List<String> ADDRESSES = List.of(
            "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
            "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
            "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
            "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
            "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
            "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
            "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
            "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
            "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
            "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720");

    private DevAccounts() {
    }

    /** The EIP-55 checksummed address of dev account {@code i} (0..9), with {@code 0x} prefix. */
    public static String address(int i) {
        return ADDRESSES.get(checkIndex(i));
    }

    /** The private key of dev account {@code i} (0..9) as 32-byte hex with {@code 0x} prefix. */
    public static String privateKey(int i) {
        return DevChainKeys.privateKey(checkIndex(i));
    }

    private static int checkIndex(int i) {
        if (i < 0 || i >= COUNT) {
            throw new IndexOutOfBoundsException("dev account index must be in [0, " + COUNT + "): " + i);
        }
        return i;
    }
}
