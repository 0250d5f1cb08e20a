package io.zkpfl.contracts;

import io.zkpfl.contracts.generated.StakingRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

import java.math.BigInteger;

import static io.zkpfl.contracts.PlatformConfig.tokens;
import static io.zkpfl.contracts.TestChain.assertReverts;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Staking rules on a real Anvil chain: minimums, locks in live jobs, unbonding, slashing rights. */
class StakingRegistryIT {

    private static TestChain chain;

    @BeforeAll
    static void start() {
        chain = TestChain.start(3, 2);
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    @Test
    void trainerStakeBelowMinimumIsRejected() {
        Credentials poor = chain.funded("poor-trainer", tokens(499));
        assertReverts("BelowMinimumStake", tokens(499), () -> chain.client(poor).staking().stakeAsTrainer(tokens(499)));
        assertEquals(BigInteger.ZERO, chain.client(poor).staking().account(poor.getAddress()).stake);
        assertEquals(tokens(499), chain.admin.token().balanceOf(chain.addresses.token(), poor.getAddress()));
    }

    @Test
    void nodeStakeBelowMinimumAndDoubleRegistrationAreRejected() {
        Credentials node = chain.funded("cheap-node", tokens(2_000));
        ChainClient c = chain.client(node);
        assertReverts("BelowMinimumStake", tokens(999), () -> c.staking().registerNode(tokens(999), new byte[32], "https://x"));
        byte[] key = new byte[32];
        key[0] = 7;
        c.staking().registerNode(tokens(1_000), key, "https://cheap-node.test");
        assertReverts("AlreadyRegistered", () -> c.staking().registerNode(tokens(1_000), key, "https://again.test"));
        assertReverts("AlreadyRegistered", () -> c.staking().stakeAsTrainer(tokens(500)));
    }

    @Test
    void withdrawWaitsForUnbondingAndReturnsTheStake() {
        Credentials trainer = chain.funded("leaving-trainer", tokens(800));
        ChainClient c = chain.client(trainer);
        c.staking().stakeAsTrainer(tokens(800));
        assertReverts("NothingToWithdraw", c.staking()::withdraw);
        assertReverts("BelowMinimumStake", tokens(400), () -> c.staking().requestUnbond(tokens(400)));
        c.staking().requestUnbond(tokens(800));
        assertReverts("UnbondingNotOver", c.staking()::withdraw);
        chain.increaseTime(TestChain.UNBONDING + 1);
        c.staking().withdraw();
        assertEquals(tokens(800), c.token().balanceOf(chain.addresses.token(), trainer.getAddress()));
        assertReverts("NothingToWithdraw", c.staking()::withdraw);
    }

    @Test
    void stakeLockedInALiveJobCannotLeave() {
        BigInteger job = chain.createJob(chain.terms());
        Credentials trainer = chain.trainers.getFirst();
        ChainClient c = chain.client(trainer);
        c.market().join(job);
        StakingRegistry.Account account = c.staking().account(trainer.getAddress());
        assertEquals(BigInteger.ONE, account.locks);
        assertReverts("StakeLocked", trainer.getAddress(), () -> c.staking().requestUnbond(TestChain.TRAINER_STAKE));
        assertReverts("StakeLocked", trainer.getAddress(), c.staking()::withdraw);
        assertReverts("JobStillActive", job, () -> c.market().release(job));
    }

    @Test
    void onlyTheMarketMaySlashOrLock() {
        Credentials node = chain.nodes.getFirst();
        Credentials intruder = chain.trainers.getLast();
        StakingRegistry registry = StakingRegistry.load(chain.addresses.registry(), chain.web3j,
                new org.web3j.tx.RawTransactionManager(chain.web3j, intruder, chain.anvil.chainId()),
                new EstimatingGasProvider(chain.web3j, BigInteger.valueOf(1_000_000)));
        ChainRevertException e = org.junit.jupiter.api.Assertions.assertThrows(ChainRevertException.class,
                () -> registry.slash(node.getAddress(), BigInteger.valueOf(10_000), new byte[32]).send());
        assertEquals("AccessControlUnauthorizedAccount", e.reason().name(), e.reason()::toString);
        assertEquals(intruder.getAddress().toLowerCase(), e.reason().args().getFirst().toString().toLowerCase());
        ChainRevertException lock = org.junit.jupiter.api.Assertions.assertThrows(ChainRevertException.class,
                () -> registry.lock(node.getAddress(), BigInteger.TWO).send());
        assertEquals("AccessControlUnauthorizedAccount", lock.reason().name());
        assertEquals(TestChain.NODE_STAKE, chain.admin.staking().account(node.getAddress()).stake);
    }
}
