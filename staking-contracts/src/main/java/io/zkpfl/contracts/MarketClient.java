package io.zkpfl.contracts;

import io.zkpfl.contracts.generated.JobMarket;
import io.zkpfl.contracts.generated.JobMarket.FeePermit;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tuples.generated.Tuple2;
import org.web3j.tuples.generated.Tuple7;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.zkpfl.contracts.ChainCalls.addressesOf;
import static io.zkpfl.contracts.ChainCalls.call;
import static io.zkpfl.contracts.ChainCalls.send;
import static io.zkpfl.contracts.ChainCalls.words;

/**
 * {@code JobMarket} calls for one signer. The market's address also serves the round steps of {@code JobRounds}
 * (delegatecall), so this client covers admin settings, jobs and their committee draw, every round step
 * (docs/protocol.md), results, claims and the typed views. The accountable-evaluation terms on the same address are
 * in {@link EvaluationClient}.
 */
public final class MarketClient {

    /** How long {@link #drawCommittee} waits for the block after the job's creation block. */
    private static final Duration DRAW_WAIT = Duration.ofSeconds(60);

    private final ChainCalls c;
    private final JobMarket market;

    MarketClient(ChainCalls c) {
        this.c = c;
        this.market = JobMarket.load(c.addresses().market(), c.web3j(), c.transactions(), c.gas());
    }

    // ------------------------------------------------------------------ admin

    /** Allow-lists an ERC-20 as fee token with its minimum fee (admin only). */
    public TransactionReceipt setFeeToken(String feeToken, BigInteger minimumFee) {
        return send("setFeeToken", market.setFeeToken(feeToken, minimumFee));
    }

    /** Fixes the batched KZG verifier of the platform's SRS (admin only, once). */
    public TransactionReceipt setKzgVerifier(String verifier) {
        return send("setKzgVerifier", market.setKzgVerifier(verifier));
    }

    /** Fixes the DLEQ verifier of share complaints (admin only, once). */
    public TransactionReceipt setDleqVerifier(String verifier) {
        return send("setDleqVerifier", market.setDleqVerifier(verifier));
    }

    // ------------------------------------------------------------------ jobs and draws

    /** The owner's EIP-712 signature over {@code p} for this market. */
    public byte[] signJob(JobParams p, Credentials owner) {
        return JobSignature.sign(p, c.chainId(), c.addresses().market(), owner);
    }

    /** Creates a job from signed parameters, the fee approved beforehand; returns the new job id. */
    public BigInteger createJob(JobParams p, byte[] ownerSignature) {
        return createJob(p, ownerSignature, noPermit());
    }

    /**
     * Creates a job from signed parameters, approving the fee by EIP-2612 permit, then draws its committee (which
     * opens its first attempt); returns the job id.
     */
    public BigInteger createJob(JobParams p, byte[] ownerSignature, FeePermit permit) {
        TransactionReceipt receipt = send("createJob", market.createJob(p, ownerSignature, permit));
        BigInteger jobId = JobMarket.getJobCreatedEvents(receipt).getFirst().jobId;
        drawCommittee(receipt);
        return jobId;
    }

    /**
     * Like {@link #createJob(JobParams, byte[])} (fee approved beforehand), returning the receipt, without drawing the
     * committee: see {@link #drawCommittee(TransactionReceipt)}.
     */
    public TransactionReceipt createJobReceipt(JobParams p, byte[] ownerSignature) {
        return send("createJob", market.createJob(p, ownerSignature, noPermit()));
    }

    private static FeePermit noPermit() {
        return new FeePermit(BigInteger.ZERO, BigInteger.ZERO, new byte[32], new byte[32]);
    }

    /**
     * Draws the committee of the job that {@code createJobReceipt} created, from its DrawPending event (the node
     * pool and stakes at creation); the draw needs a block after the creation block, so a DrawNotReady revert is
     * retried until one is mined. A draw the chain deferred (the creation block's hash had aged out) is repeated
     * once. Returns the receipt of the call that drew.
     */
    public TransactionReceipt drawCommittee(TransactionReceipt createJobReceipt) {
        JobMarket.DrawPendingEventResponse pending = JobMarket.getDrawPendingEvents(createJobReceipt).getFirst();
        return drawCommittee(pending.jobId, pending.pool, pending.weights);
    }

    /** Draws the committee of {@code jobId} over the pool and weights of its DrawPending event (see above). */
    public TransactionReceipt drawCommittee(BigInteger jobId, List<String> pool, List<BigInteger> weights) {
        long deadline = System.nanoTime() + DRAW_WAIT.toNanos();
        while (true) {
            Optional<TransactionReceipt> drawn = tryDrawCommittee(jobId, pool, weights);
            if (drawn.isPresent()) {
                return drawn.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + jobId + ": no block after its draw block within " + DRAW_WAIT);
            }
            sleepQuietly(250);
        }
    }

    /**
     * One attempt at drawing the committee of {@code jobId}: the receipt when this call drew it, empty when the draw
     * block has no successor yet (DrawNotReady) or the call only moved an aged-out draw to its own block.
     *
     * @throws ChainRevertException for any other refusal, e.g. CommitteeAlreadyDrawn or JobNotActive
     */
    public Optional<TransactionReceipt> tryDrawCommittee(BigInteger jobId, List<String> pool, List<BigInteger> weights) {
        try {
            TransactionReceipt r = send("drawCommittee", market.drawCommittee(jobId, pool, weights));
            return JobMarket.getCommitteeDrawnEvents(r).isEmpty() ? Optional.empty() : Optional.of(r);
        } catch (ChainRevertException e) {
            if ("DrawNotReady".equals(e.reason().name())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The block whose hash seeds the job's committee draw (0 for no such job). */
    public long drawBlock(BigInteger jobId) {
        return call("drawBlock", market.drawBlock(jobId)).longValueExact();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the next block", e);
        }
    }

    public TransactionReceipt join(BigInteger jobId) {
        return send("join", market.join(jobId));
    }

    public TransactionReceipt release(BigInteger jobId) {
        return send("release", market.release(jobId));
    }

    /** The owner stops its job; rounds done stay paid. */
    public TransactionReceipt stopJob(BigInteger jobId) {
        return send("stopJob", market.stopJob(jobId));
    }

    public TransactionReceipt advance(BigInteger jobId) {
        return send("advance", market.advance(jobId));
    }

    public TransactionReceipt claim(String feeToken) {
        return send("claim", market.claim(feeToken));
    }

    // ------------------------------------------------------------------ round steps (docs/protocol.md)

    /**
     * Step 5: the trainer's t commitments C_i0..C_i,t-1 as x, y words, the keccak digest of its envelope
     * manifest and its declared sample count n_i.
     */
    public TransactionReceipt commitRound(BigInteger jobId, List<BigInteger> points, byte[] manifestDigest, long samples) {
        return send("commitRound", market.commitRound(jobId, points, manifestDigest, BigInteger.valueOf(samples)));
    }

    /** The signer (a committee node) publishes its per-round envelope key for the job's current round (x, y). */
    public TransactionReceipt postRoundKey(BigInteger jobId, List<BigInteger> publicKey) {
        return send("postRoundKey", market.postRoundKey(jobId, publicKey));
    }

    /**
     * Step 6: a verifiable complaint about {@code trainer}'s share: the envelope's ephemeral point, the ECDH point
     * (x, y each) and the DLEQ proof (c, s) against the signer's round key.
     */
    public TransactionReceipt complainShare(BigInteger jobId, String trainer, List<BigInteger> ephemeral,
                                            List<BigInteger> shared, BigInteger c, BigInteger s) {
        return send("complainShare", market.complainShare(jobId, trainer, ephemeral, shared, c, s));
    }

    /** Step 6: the signer's verdict on the complaint about {@code trainer}; the deciding upheld vote resupplies its commitment. */
    public TransactionReceipt voteComplaint(BigInteger jobId, String trainer, boolean upheld, List<BigInteger> points,
                                            byte[] manifestDigest, long samples) {
        return send("voteComplaint", market.voteComplaint(jobId, trainer, upheld, points, manifestDigest,
                BigInteger.valueOf(samples)));
    }

    /** Step 6: votes to exclude {@code trainer}; the majority's vote must resupply its commitment (else pass empty). */
    public TransactionReceipt voteExclusion(BigInteger jobId, String trainer, List<BigInteger> points,
                                            byte[] manifestDigest, long samples) {
        return send("voteExclusion", market.voteExclusion(jobId, trainer, points, manifestDigest,
                BigInteger.valueOf(samples)));
    }

    /** Step 7: the signer's own opening of its C_k, as words z, y, ŷ, π.x, π.y. */
    public TransactionReceipt postOpening(BigInteger jobId, List<BigInteger> opening) {
        return send("postOpening", market.postOpening(jobId, opening));
    }

    /** Step 7, batched: nodes {@code ks}' openings (5 words each) with each node's {@link #signOpening} signature. */
    public TransactionReceipt postOpenings(BigInteger jobId, List<BigInteger> ks, List<BigInteger> openings,
                                           List<byte[]> signatures) {
        return send("postOpenings", market.postOpenings(jobId, ks, openings, signatures));
    }

    /**
     * Node k's EIP-191 sign-off of its opening for a batched {@link #postOpenings}: over
     * keccak256(abi.encode(market, chain id, job, round, attempt, k, the 5 opening words)).
     */
    public static byte[] signOpening(Credentials node, String market, long chainId, BigInteger jobId, int round,
                                     int attempt, int k, List<BigInteger> opening) {
        return sign(node, openingDigest(market, chainId, jobId, round, attempt, k, opening));
    }

    /** What node k signs for a batched opening: keccak256(abi.encode(market, chain id, job, round, attempt, k, words)). */
    public static byte[] openingDigest(String market, long chainId, BigInteger jobId, int round, int attempt, int k,
                                       List<BigInteger> opening) {
        List<BigInteger> words = new ArrayList<>(List.of(Numeric.toBigInt(market), BigInteger.valueOf(chainId), jobId,
                BigInteger.valueOf(round), BigInteger.valueOf(attempt), BigInteger.valueOf(k)));
        words.addAll(opening);
        return keccakOfWords(words);
    }

    /** The address (lower-case hex) whose EIP-191 signature (65 bytes r ‖ s ‖ v) over {@code digest} this is. */
    public static String signerOf(byte[] digest, byte[] signature) {
        if (signature.length != 65) {
            throw new IllegalArgumentException("a signature has 65 bytes, not " + signature.length);
        }
        Sign.SignatureData sig = new Sign.SignatureData(signature[64], java.util.Arrays.copyOfRange(signature, 0, 32),
                java.util.Arrays.copyOfRange(signature, 32, 64));
        try {
            return "0x" + org.web3j.crypto.Keys.getAddress(Sign.signedPrefixedMessageToKey(digest, sig));
        } catch (java.security.SignatureException e) {
            throw new IllegalArgumentException("the signature does not recover: " + e.getMessage(), e);
        }
    }

    private static byte[] sign(Credentials node, byte[] digest) {
        Sign.SignatureData sig = Sign.signPrefixedMessage(digest, node.getEcKeyPair());
        byte[] out = new byte[65];
        System.arraycopy(sig.getR(), 0, out, 0, 32);
        System.arraycopy(sig.getS(), 0, out, 32, 32);
        out[64] = sig.getV()[0];
        return out;
    }

    private static byte[] keccakOfWords(List<BigInteger> words) {
        StringBuilder hex = new StringBuilder();
        for (BigInteger w : words) {
            hex.append(Numeric.toHexStringNoPrefixZeroPadded(w, 64));
        }
        return Hash.sha3(Numeric.hexStringToByteArray(hex.toString()));
    }

    /** Step 8: the signer (a committee node) announces the CID of its revealed S_k || b_k. */
    public TransactionReceipt revealPartial(BigInteger jobId, byte[] cid) {
        return send("revealPartial", market.revealPartial(jobId, cid));
    }

    /**
     * Step 8 batched (the coordination leader's call): nodes {@code ks}' reveals, each with its key for the next round
     * ({@code nextKeys}: x, y per node, both 0 for none) and its {@link #signReveal} sign-off.
     */
    public TransactionReceipt revealPartials(BigInteger jobId, List<BigInteger> ks, List<byte[]> cids,
                                             List<BigInteger> nextKeys, List<byte[]> signatures) {
        return send("revealPartials", market.revealPartials(jobId, ks, cids, nextKeys, signatures));
    }

    /**
     * What node k signs for a batched reveal: keccak256(abi.encode(bytes32("zkPFL reveal"), market, chain id, job,
     * round, attempt, k, keccak256(cid), next key x, next key y)), before the EIP-191 prefix.
     */
    public static byte[] revealDigest(String market, long chainId, BigInteger jobId, int round, int attempt, int k,
                                      byte[] cid, List<BigInteger> nextKey) {
        byte[] tag = java.util.Arrays.copyOf("zkPFL reveal".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 32);
        return keccakOfWords(List.of(Numeric.toBigInt(tag), Numeric.toBigInt(market), BigInteger.valueOf(chainId), jobId,
                BigInteger.valueOf(round), BigInteger.valueOf(attempt), BigInteger.valueOf(k),
                Numeric.toBigInt(Hash.sha3(cid)), nextKey.get(0), nextKey.get(1)));
    }

    /** Node k's EIP-191 sign-off of its reveal and next-round key (zeros for none) for {@link #revealPartials}. */
    public static byte[] signReveal(Credentials node, String market, long chainId, BigInteger jobId, int round,
                                    int attempt, int k, byte[] cid, List<BigInteger> nextKey) {
        return sign(node, revealDigest(market, chainId, jobId, round, attempt, k, cid, nextKey));
    }

    /**
     * Step 8: {@code aggregateHash = keccak256(A ‖ b_A)} and an opening of C_A (5 words) at the z_A bound to that hash
     * ({@link #resultPoint(BigInteger, byte[])}), which releases the nodes' pay and emits ResultOpened.
     */
    public TransactionReceipt openResult(BigInteger jobId, byte[] aggregateHash, List<BigInteger> opening) {
        return send("openResult", market.openResult(jobId, aggregateHash, opening));
    }

    /** Evaluator only: the hash of the new weights w', their accuracy and the included trainers' accuracy shares (ppm). */
    public TransactionReceipt postRoundResult(BigInteger jobId, byte[] modelHash, long accuracyPpm,
                                              List<BigInteger> accuracySharesPpm) {
        return postRoundResult(jobId, modelHash, accuracyPpm, accuracySharesPpm, List.of());
    }

    /**
     * Evaluator only: as {@link #postRoundResult(BigInteger, byte[], long, List)}, with one accuracy (ppm) per group
     * of the job's {@code groups} (empty when it has none), emitted in GroupAccuracies.
     */
    public TransactionReceipt postRoundResult(BigInteger jobId, byte[] modelHash, long accuracyPpm,
                                              List<BigInteger> accuracySharesPpm, List<BigInteger> groupAccuraciesPpm) {
        return send("postRoundResult", market.postRoundResult(jobId, modelHash, BigInteger.valueOf(accuracyPpm),
                accuracySharesPpm, groupAccuraciesPpm));
    }

    // ------------------------------------------------------------------ reads

    public JobState job(BigInteger jobId) {
        Tuple7<BigInteger, BigInteger, BigInteger, byte[], BigInteger, BigInteger, BigInteger> s =
                call("jobState", market.jobState(jobId));
        return new JobState(JobState.Status.of(s.component1().intValue()), s.component2().intValue(),
                s.component3().intValue(), Numeric.toHexString(s.component4()), s.component5(), s.component6(),
                s.component7(), addressesOf(call("committeeOf", market.committeeOf(jobId))),
                addressesOf(call("trainersOf", market.trainersOf(jobId))));
    }

    public JobParams jobParams(BigInteger jobId) {
        return StructCalls.call(c.web3j(), c.from(), c.addresses().market(), "jobParams", List.of(new Uint256(jobId)),
                JobParams.class);
    }

    public AttemptState attempt(BigInteger jobId) {
        JobMarket.AttemptView v = StructCalls.call(c.web3j(), c.from(), c.addresses().market(), "attemptState",
                List.of(new Uint256(jobId)), JobMarket.AttemptView.class);
        Tuple2<List<String>, List<String>> who = call("participantsOf", market.participantsOf(jobId));
        List<Integer> opened = new ArrayList<>();
        int mask = v.openedMask.intValue();
        for (int k = 1; mask != 0; k++, mask >>>= 1) {
            if ((mask & 1) != 0) {
                opened.add(k);
            }
        }
        return new AttemptState(AttemptState.Phase.values()[v.phase.intValue()], v.openedAt.longValue(),
                v.commitDeadline.longValue(), v.complaintDeadline.longValue(), v.openingDeadline.longValue(),
                v.revealDeadline.longValue(), v.resultDeadline.longValue(), v.openedCount.intValue(),
                v.revealCount.intValue(), opened, v.sampleSum.longValue(), words(v.sums), who.component1(),
                who.component2());
    }

    /** A G1 point (x, y) with the challenge z it must be opened at. */
    public record OpeningPoint(BigInteger x, BigInteger y, BigInteger z) {
    }

    /** C_k of the current attempt (from the contract's running sums) and z_k. */
    public OpeningPoint openingPoint(BigInteger jobId, int k) {
        var r = call("openingPoint", market.openingPoint(jobId, BigInteger.valueOf(k)));
        return new OpeningPoint(r.component1(), r.component2(), r.component3());
    }

    /** C_A = P_0 of the current attempt and the z_A an aggregate with hash {@code aggregateHash} is opened at. */
    public OpeningPoint resultPoint(BigInteger jobId, byte[] aggregateHash) {
        var r = call("resultPoint", market.resultPoint(jobId, aggregateHash));
        return new OpeningPoint(r.component1(), r.component2(), r.component3());
    }

    /** Block time after which the evaluator can no longer post the current round's result (D4 + proofWindow). */
    public long resultDeadline(BigInteger jobId) {
        return attempt(jobId).resultDeadline();
    }

    public BigInteger remaining(BigInteger jobId) {
        return call("remaining", market.remaining(jobId));
    }

    public BigInteger claimable(String account, String feeToken) {
        return call("claimable", market.claimable(account, feeToken));
    }

    /** Sum of all credited but unclaimed amounts in {@code feeToken}. */
    public BigInteger totalOwed(String feeToken) {
        return call("totalOwed", market.totalOwed(feeToken));
    }

    public BigInteger jobCount() {
        return call("jobCount", market.jobCount());
    }

    /** The contract's EIP-712 digest of {@code p} (for cross-checking an off-chain signer). */
    public byte[] jobDigest(JobParams p) {
        return call("jobDigest", market.jobDigest(p));
    }
}
