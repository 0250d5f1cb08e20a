package io.zkpfl.trainer.round;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.model.SpecNetwork;
import io.zkpfl.trainer.training.LocalTrainer;
import io.zkpfl.trainer.training.TensorBatch;
import io.zkpfl.trainer.training.TrainingProgress;
import java.io.PrintWriter;

/**
 * The one place the round touches the training engine (packages {@code model} and {@code training}, through their
 * public API): trains the global model {@code w} on the trainer's data for the job's plan and returns {@code w_i}.
 */
final class LocalUpdate {

    private LocalUpdate() {
    }

    static float[] train(ModelSpec spec, TrainingPlan plan, float[] w, LabelledImages data, long seed, PrintWriter out) {
        TensorBatch.requireCompatible(spec, data);
        SpecNetwork net = SpecNetwork.build(spec, plan, seed);
        net.setParameters(w);
        LocalTrainer.train(net, data, plan, seed, TrainingProgress.forStdout(out));
        return net.parameters();
    }
}
