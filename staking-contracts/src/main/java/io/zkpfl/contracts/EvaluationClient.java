package io.zkpfl.contracts;

import io.zkpfl.contracts.generated.JobMarket;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import java.math.BigInteger;
import java.util.List;

import static io.zkpfl.contracts.ChainCalls.call;
import static io.zkpfl.contracts.ChainCalls.send;

/**
 * The accountable-evaluation terms of {@code JobMarket} for one signer (same address as {@link MarketClient}): the
 * market's economics (creation fee, owner bond, windows), disclosure of the owner's validation set, disputes of a
 * posted result, and the bond's slash or release.
 */
public final class EvaluationClient {

    private final ChainCalls c;
    private final JobMarket market;

    EvaluationClient(ChainCalls c) {
        this.c = c;
        this.market = JobMarket.load(c.addresses().market(), c.web3j(), c.transactions(), c.gas());
    }

    /** Admin only: treasury, creation fee, minimum owner bond and evaluation windows of the market. */
    public TransactionReceipt setEconomics(String treasury, PlatformConfig.Economics e) {
        return send("setEconomics", market.setEconomics(treasury, BigInteger.valueOf(e.creationFeePpm()),
                BigInteger.valueOf(e.minOwnerBondPpm()), BigInteger.valueOf(e.disclosureWindowSeconds()),
                BigInteger.valueOf(e.disputeWindowSeconds())));
    }

    /** The market's current economics and treasury. */
    public PlatformConfig.Economics economics() {
        return new PlatformConfig.Economics(call("creationFeePpm", market.creationFeePpm()).longValue(),
                call("minOwnerBondPpm", market.minOwnerBondPpm()).longValue(),
                call("disclosureWindow", market.disclosureWindow()).longValue(),
                call("disputeWindow", market.disputeWindow()).longValue());
    }

    /** The treasury that receives creation fees. */
    public String treasury() {
        return call("treasury", market.treasury());
    }

    /**
     * After the job ended, before its disclosure deadline: discloses the owner's validation set, checked on chain
     * against the signed commitment keccak256(abi.encode(bundleHash, contentKey)); {@code cid} addresses the
     * encrypted bundle.
     */
    public TransactionReceipt discloseValidation(BigInteger jobId, byte[] bundleHash, byte[] contentKey, byte[] cid) {
        return send("discloseValidation", market.discloseValidation(jobId, bundleHash, contentKey, cid));
    }

    /** A committee node's vote that {@code round}'s posted result is not reproduced; t votes slash the bond. */
    public TransactionReceipt disputeEvaluation(BigInteger jobId, int round) {
        return send("disputeEvaluation", market.disputeEvaluation(jobId, BigInteger.valueOf(round)));
    }

    /** Anyone, after the disclosure deadline of a committed set nobody disclosed: slashes the bond to the trainers. */
    public TransactionReceipt slashUndisclosed(BigInteger jobId) {
        return send("slashUndisclosed", market.slashUndisclosed(jobId));
    }

    /** Anyone, after the dispute deadline: credits the bond back to the owner. */
    public TransactionReceipt releaseBond(BigInteger jobId) {
        return send("releaseBond", market.releaseBond(jobId));
    }

    /** What became of an owner's evaluator bond, in the order of the contract's {@code bondState} codes. */
    public enum BondState {
        HELD, RELEASED, SLASHED;

        /** The state the contract reports as {@code code}. */
        public static BondState of(int code) {
            if (code < 0 || code >= values().length) {
                throw new IllegalArgumentException("no bond state " + code);
            }
            return values()[code];
        }
    }

    /**
     * A job's creation fee and evaluator bond.
     *
     * @param bondState          meaningful when {@code bond} is positive
     * @param disclosureDeadline block time, set when the job ends (0 before, and for jobs without bond or commitment)
     * @param disputeDeadline    block time, likewise
     */
    public record Evaluation(BigInteger creationFee, BigInteger bond, BondState bondState, boolean disclosed,
                             long disclosureDeadline, long disputeDeadline) {

        /** The bond the market still holds: all of it while held, none once released or slashed. */
        public BigInteger bondHeld() {
            return bondState == BondState.HELD ? bond : BigInteger.ZERO;
        }
    }

    public Evaluation evaluation(BigInteger jobId) {
        JobMarket.EvaluationView v = StructCalls.call(c.web3j(), c.from(), c.addresses().market(), "evaluationOf",
                List.of(new Uint256(jobId)), JobMarket.EvaluationView.class);
        return new Evaluation(v.creationFee, v.bond, BondState.of(v.bondState.intValue()), v.disclosed,
                v.disclosureDeadline.longValue(), v.disputeDeadline.longValue());
    }
}
