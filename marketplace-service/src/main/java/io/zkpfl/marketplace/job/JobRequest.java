package io.zkpfl.marketplace.job;

import io.zkpfl.protocol.dp.JobPrivacy;
import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.TrainingPlan;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A validated request to post a training job: the off-chain parts (model, training plan, optional initial
 * weights), the chain parameters the owner signs as EIP-712 {@code JobParams}, the signature and an optional
 * EIP-2612 fee permit. The service derives {@code modelHash} and {@code bucket} (ADR 0005).
 *
 * @param owner            the owner's address, lower-case {@code 0x…} hex
 * @param model            the network to train
 * @param training         local epochs, batch size, learning rate and optimiser
 * @param learningRate     the learning rate exactly as sent (at most 9 decimals), as the manifest writes it
 * @param targetAccuracy   accuracy in (0, 1] at which the job completes, at most 6 decimals (signed in ppm)
 * @param maxRounds        round budget
 * @param feeToken         ERC-20 the fee is escrowed in
 * @param feeAmount        fee in the token's base units
 * @param permit           EIP-2612 permit of the fee for the market, or {@code null} (fee approved beforehand)
 * @param committeeSize    zk-aggregator committee size {@code m}
 * @param threshold        Shamir threshold {@code t}, {@code m ≥ t + 1}
 * @param minTrainers      trainers needed for a round to go ahead ({@code n_min})
 * @param maxTrainers      most trainers a job admits ({@code n_max})
 * @param maxSamples       most samples a trainer may claim ({@code N_max}, bounds the quantised sum)
 * @param clipQ16          clipping bound of an update coordinate in Q16 fixed point
 * @param alpha            weight of time against accuracy in rewards, in [0, 1], at most 6 decimals (signed in ppm)
 * @param windows          the five protocol windows in seconds
 * @param evaluator        the job's evaluator (reward engine account), lower-case hex
 * @param nonce            owner-chosen number, used once per owner on chain
 * @param deadline         unix time (seconds) after which the signature is no longer accepted
 * @param privacy          differential-privacy terms (docs/privacy.md), or {@code null} for none; signed through the
 *                         manifest
 * @param validation       the owner's validation set sealed to the evaluator (docs/owner.md), or {@code null} for the
 *                         evaluator's default set; signed through the manifest
 * @param initialWeights   little-endian float32 weights in canonical order, or {@code null} to let the service initialise them
 * @param signature        65-byte EIP-712 signature {@code r ‖ s ‖ v} of {@code JobParams} by {@code owner}, or
 *                         {@code null} when only the typed data is asked for
 */
public record JobRequest(
        String owner,
        ModelSpec model,
        TrainingPlan training,
        BigDecimal learningRate,
        BigDecimal targetAccuracy,
        int maxRounds,
        String feeToken,
        BigInteger feeAmount,
        FeePermit permit,
        int committeeSize,
        int threshold,
        int minTrainers,
        int maxTrainers,
        long maxSamples,
        BigInteger clipQ16,
        BigDecimal alpha,
        Windows windows,
        String evaluator,
        BigInteger nonce,
        long deadline,
        JobPrivacy privacy,
        Validation validation,
        byte[] initialWeights,
        byte[] signature) {

    /** Protocol windows in seconds (docs/contracts.md: D1 commit, complaints, D2 partials, D3 proofs, D4 reveal). */
    public record Windows(long commit, long complaint, long partial, long proof, long reveal) {
    }

    /**
     * The owner's sealed validation set (docs/adr/0105): its IPFS CID, {@code commitment =
     * keccak256(abi.encode(bundleHash, contentKey))} (lower-case {@code 0x}-hex) and the number of groups (0: none).
     */
    public record Validation(String cid, String commitment, int groups) {
    }

    /** An EIP-2612 permit of the fee token for the market, as the contract's {@code FeePermit}. */
    public record FeePermit(long deadline, int v, byte[] r, byte[] s) {
    }

    @Override
    public String toString() {
        return "JobRequest[owner=" + owner + ", parameters=" + model.parameterCount() + ", nonce=" + nonce + "]";
    }
}
