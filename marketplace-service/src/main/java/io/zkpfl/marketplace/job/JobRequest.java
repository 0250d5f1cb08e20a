package io.zkpfl.marketplace.job;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.TrainingPlan;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A validated request to post a training job: everything the owner signs, plus the signature and the
 * optional initial weights.
 *
 * @param owner            the owner's address, lower-case {@code 0x…} hex
 * @param model            the network to train
 * @param training         local epochs, batch size, learning rate and optimiser
 * @param targetAccuracy   accuracy in (0, 1] at which the job completes, at most 6 decimals
 * @param maxRounds        round budget
 * @param feeToken         ERC-20 the fee is escrowed in
 * @param feeAmount        fee in the token's base units
 * @param committeeSize    zk-aggregator committee size {@code m}
 * @param threshold        Shamir threshold {@code t}, {@code m ≥ t + 1}
 * @param minTrainers      trainers needed for a round to go ahead ({@code n_min})
 * @param nonce            owner-chosen number that makes otherwise equal jobs distinct
 * @param deadline         unix time (seconds) after which the signature is no longer accepted
 * @param initialWeights   little-endian float32 weights in canonical order, or {@code null} to let the service initialise them
 * @param signature        65-byte EIP-712 signature {@code r ‖ s ‖ v} by {@code owner}
 */
public record JobRequest(
        String owner,
        ModelSpec model,
        TrainingPlan training,
        BigDecimal targetAccuracy,
        int maxRounds,
        String feeToken,
        BigInteger feeAmount,
        int committeeSize,
        int threshold,
        int minTrainers,
        BigInteger nonce,
        long deadline,
        byte[] initialWeights,
        byte[] signature) {

    @Override
    public String toString() {
        return "JobRequest[owner=" + owner + ", parameters=" + model.parameterCount() + ", nonce=" + nonce + "]";
    }
}
