package io.zkpfl.contracts;

import io.zkpfl.contracts.generated.JobMarket;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import io.zkpfl.contracts.testing.generated.ReentrantToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.tx.RawTransactionManager;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.util.List;

import static io.zkpfl.contracts.PlatformConfig.tokens;
import static io.zkpfl.contracts.TestChain.assertReverts;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A hostile fee token that calls back into the market while the market moves its tokens. */
class ReentrancyIT {

    private static TestChain chain;
    private static ReentrantToken token;

    @BeforeAll
    static void start() throws Exception {
        chain = TestChain.start(3, 2);
        token = ReentrantToken.deploy(chain.web3j,
                new RawTransactionManager(chain.web3j, chain.adminKey, chain.anvil.chainId()),
                new EstimatingGasProvider(chain.web3j, BigInteger.valueOf(5_000_000))).send();
        token.mint(chain.owner.getAddress(), tokens(10_000)).send();
        chain.admin.market().setFeeToken(token.getContractAddress(), tokens(100));
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    @Test
    void reenteringClaimDuringCreateJobIsRefused() throws Exception {
        // the token calls market.claim(token) from inside transferFrom
        String claim = FunctionEncoder.encode(new Function(JobMarket.FUNC_CLAIM,
                List.of(new Address(token.getContractAddress())), List.of()));
        token.arm(chain.addresses.market(), Numeric.hexStringToByteArray(claim)).send();

        ChainClient owner = chain.client(chain.owner);
        owner.token().approve(token.getContractAddress(), chain.addresses.market(), tokens(1_000));
        JobParams p = chain.terms().withFee(token.getContractAddress(), tokens(1_000)).params();
        BigInteger jobs = chain.admin.market().jobCount();
        assertReverts("ReentrancyGuardReentrantCall", () -> owner.market().createJob(p, owner.market().signJob(p, chain.owner)));
        assertEquals(jobs, chain.admin.market().jobCount());
        assertEquals(tokens(10_000), owner.token().balanceOf(token.getContractAddress(), chain.owner.getAddress()));
        assertEquals(BigInteger.ZERO, owner.token().balanceOf(token.getContractAddress(), chain.addresses.market()));

        // disarmed, the same token works as an ordinary fee token
        token.arm("0x0000000000000000000000000000000000000000", new byte[0]).send();
        JobParams again = chain.terms().withFee(token.getContractAddress(), tokens(1_000)).params();
        BigInteger job = owner.market().createJob(again, owner.market().signJob(again, chain.owner));
        assertEquals(tokens(1_000), chain.admin.market().job(job).escrowed());
    }
}
