package io.zkpfl.trainer.federated;

/**
 * The global model after one round.
 *
 * @param round            round number, from 1
 * @param accuracy         test accuracy of the aggregated model
 * @param loss             mean test loss of the aggregated model
 * @param seconds          wall time of the round (all trainers' local training plus aggregation)
 * @param samplesPerSecond local training throughput over all trainers in this round
 */
public record RoundMetrics(int round, double accuracy, double loss, double seconds, double samplesPerSecond) {
}
