package io.zkpfl.contracts;

import org.web3j.protocol.core.methods.response.TransactionReceipt;

import java.math.BigInteger;

import static io.zkpfl.contracts.ChainCalls.call;
import static io.zkpfl.contracts.ChainCalls.send;

/**
 * ERC-20 calls for one signer: the platform token ({@code PlatformToken}) and any other allow-listed fee token, which
 * is why every method but {@link #mint} names the token's address.
 */
public final class TokenClient {

    private final ChainCalls c;

    TokenClient(ChainCalls c) {
        this.c = c;
    }

    /** Mints platform tokens (admin only). */
    public TransactionReceipt mint(String to, BigInteger amount) {
        return send("mint", c.erc20(c.addresses().token()).mint(to, amount));
    }

    /** Approves {@code spender} for {@code amount} of the ERC-20 at {@code tokenAddress}. */
    public TransactionReceipt approve(String tokenAddress, String spender, BigInteger amount) {
        return send("approve", c.erc20(tokenAddress).approve(spender, amount));
    }

    /** Balance of {@code account} in the ERC-20 at {@code tokenAddress}. */
    public BigInteger balanceOf(String tokenAddress, String account) {
        return call("balanceOf", c.erc20(tokenAddress).balanceOf(account));
    }

    /** What {@code spender} may still take from {@code owner} in the ERC-20 at {@code tokenAddress}. */
    public BigInteger allowance(String tokenAddress, String owner, String spender) {
        return call("allowance", c.erc20(tokenAddress).allowance(owner, spender));
    }
}
