package io.zkpfl.trainer.training;

/**
 * Quality of a model on a data set.
 *
 * @param accuracy fraction of samples whose highest output is the label, in [0, 1]
 * @param loss     mean loss per sample (cross-entropy in nats, or mean squared error per output)
 * @param samples  number of samples evaluated
 */
public record Evaluation(double accuracy, double loss, int samples) {
}
