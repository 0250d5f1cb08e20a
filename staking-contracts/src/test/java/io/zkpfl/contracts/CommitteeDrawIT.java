package io.zkpfl.contracts;

import static io.zkpfl.contracts.PlatformConfig.tokens;
import static io.zkpfl.contracts.TestChain.assertReverts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.contracts.generated.JobMarket;
import io.zkpfl.contracts.generated.JobRules;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * The committee draw nobody can grind (docs/contracts.md, "Committee draw"): it happens in a block after the job's
 * creation, seeded by the creation block's hash, over the node pool and stakes as they stood at creation.
 */
class CommitteeDrawIT {

    private static TestChain chain;
    private static JobMarket market;
    private static JobRules rules;

    @BeforeAll
    static void start() throws Exception {
        chain = TestChain.start(5, 2);
        market = JobMarket.load(chain.addresses.market(), chain.web3j, chain.adminKey, new DefaultGasProvider());
        rules = JobRules.load(market.rules().send(), chain.web3j, chain.adminKey, new DefaultGasProvider());
    }

    @AfterAll
    static void stop() {
        chain.close();
    }

    private static TransactionReceipt createUndrawn() {
        ChainClient owner = chain.client(chain.owner);
        TestChain.Terms t = chain.terms();
        owner.token().approve(t.feeToken(), chain.addresses.market(), t.fee());
        JobMarket.JobParams p = t.params();
        return owner.market().createJobReceipt(p, owner.market().signJob(p, chain.owner));
    }

    /** The committee JobRules.draw picks from the creation block's hash over the given weights, computed here. */
    private static List<String> expectedCommittee(BigInteger job, long seedBlock, List<String> pool, List<BigInteger> weights)
            throws Exception {
        byte[] blockHash = Numeric.hexStringToByteArray(chain.web3j.ethGetBlockByNumber(
                DefaultBlockParameter.valueOf(BigInteger.valueOf(seedBlock)), false).send().getBlock().getHash());
        byte[] encoded = new byte[96];
        System.arraycopy(blockHash, 0, encoded, 0, 32);
        byte[] market = Numeric.hexStringToByteArray(chain.addresses.market());
        System.arraycopy(market, 0, encoded, 64 - market.length, market.length);
        byte[] id = Numeric.toBytesPadded(job, 32);
        System.arraycopy(id, 0, encoded, 64, 32);
        List<BigInteger> picked = rules.draw(weights, BigInteger.valueOf(3), Hash.sha3(encoded)).send();
        List<String> committee = new ArrayList<>();
        picked.forEach(i -> committee.add(pool.get(i.intValueExact()).toLowerCase()));
        return committee;
    }

    private static List<String> lower(List<String> addresses) {
        return addresses.stream().map(a -> a.toLowerCase()).toList();
    }

    @Test
    void theCommitteeIsDrawnInALaterBlockFromTheCreationBlocksHash() throws Exception {
        TransactionReceipt created = createUndrawn();
        JobMarket.DrawPendingEventResponse pending = JobMarket.getDrawPendingEvents(created).getFirst();
        BigInteger job = pending.jobId;
        long creationBlock = created.getBlockNumber().longValueExact();
        assertEquals(creationBlock, pending.drawBlock.longValueExact());
        var pool = chain.admin.staking().nodePool();
        assertEquals(lower(pool.component1()), lower(pending.pool), "the event carries the pool at creation");
        assertEquals(pool.component2(), pending.weights);
        assertTrue(chain.admin.market().job(job).committee().isEmpty(), "no committee before the draw");
        // trainers may join before the draw, but there is nothing to commit to: the first attempt is not open
        ChainClient trainer = chain.client(chain.trainers.getFirst());
        trainer.market().join(job);
        assertReverts("WrongPhase", BigInteger.ZERO, () -> trainer.market().commitRound(job,
                List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.ONE, BigInteger.TWO), new byte[32], 1));

        // in the creation block itself the seed is not fixed yet
        String call = market.drawCommittee(job, pending.pool, pending.weights).encodeFunctionCall();
        EthCall atCreation = chain.web3j.ethCall(Transaction.createEthCallTransaction(chain.owner.getAddress(),
                chain.addresses.market(), call), DefaultBlockParameter.valueOf(BigInteger.valueOf(creationBlock))).send();
        assertTrue(atCreation.isReverted(), "a draw in the creation block reverts");
        RevertReason early = RevertReason.decode(atCreation.getError().getData().replace("\"", ""));
        assertEquals("DrawNotReady", early.name(), early::toString);
        assertEquals(BigInteger.valueOf(creationBlock + 1), early.args().get(1));

        TransactionReceipt drawn = chain.client(chain.trainers.get(1)).market().drawCommittee(created); // anyone may draw
        assertTrue(drawn.getBlockNumber().longValueExact() > creationBlock);
        List<String> committee = lower(chain.admin.market().job(job).committee());
        assertEquals(expectedCommittee(job, creationBlock, pending.pool, pending.weights), committee);
        assertEquals(1, JobMarket.getAttemptOpenedEvents(drawn).size(), "the draw opens the first attempt");
        assertReverts("CommitteeAlreadyDrawn", job, () -> chain.admin.market().drawCommittee(job, pending.pool, pending.weights));
    }

    @Test
    void stakesAddedAfterCreationDoNotTakePartInTheDraw() throws Exception {
        TransactionReceipt created = createUndrawn();
        JobMarket.DrawPendingEventResponse pending = JobMarket.getDrawPendingEvents(created).getFirst();
        // a node that registers after seeing the job (and the creation block's hash) is not in its pool
        Credentials late = chain.funded("late-node-" + pending.jobId, tokens(50_000));
        chain.client(late).staking().registerNode(tokens(50_000), Hash.sha3("x25519-late".getBytes(StandardCharsets.UTF_8)),
                "https://late.zkpfl.test");
        var now = chain.admin.staking().nodePool();
        assertNotEquals(pending.pool.size(), now.component1().size());
        assertReverts("NotThePoolAtCreation", pending.jobId,
                () -> chain.admin.market().drawCommittee(pending.jobId, now.component1(), now.component2()));
        chain.admin.market().drawCommittee(pending.jobId, pending.pool, pending.weights);
        List<String> committee = lower(chain.admin.market().job(pending.jobId).committee());
        assertTrue(!committee.contains(late.getAddress().toLowerCase()));
        assertEquals(expectedCommittee(pending.jobId, pending.drawBlock.longValueExact(), pending.pool, pending.weights),
                committee);
    }

    @Test
    void aDrawWhoseSeedBlockAgedOutMovesToANewBlockAndThenDraws() throws Exception {
        TransactionReceipt created = createUndrawn();
        JobMarket.DrawPendingEventResponse pending = JobMarket.getDrawPendingEvents(created).getFirst();
        chain.anvil.rpc("anvil_mine", "[\"0x110\"]"); // 272 blocks: the creation block's hash is gone
        long before = chain.blockNumber();
        chain.admin.market().drawCommittee(created);
        long seedBlock = chain.admin.market().drawBlock(pending.jobId);
        assertTrue(seedBlock > before, "the draw moved to the block of the deferring call");
        assertEquals(3, chain.admin.market().job(pending.jobId).committee().size());
        assertEquals(expectedCommittee(pending.jobId, seedBlock, pending.pool, pending.weights),
                lower(chain.admin.market().job(pending.jobId).committee()));
        List<MarketEvent> events = chain.admin.events().events(seedBlock, seedBlock);
        assertEquals(List.of(new MarketEvent.DrawDeferred(pending.jobId, seedBlock, seedBlock)), events,
                "the deferring call draws nothing");
    }
}
