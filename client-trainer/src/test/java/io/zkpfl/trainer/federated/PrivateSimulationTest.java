package io.zkpfl.trainer.federated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.protocol.fixedpoint.ClipPolicy;
import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.data.PartitionScheme;
import io.zkpfl.trainer.model.BuiltInModel;
import io.zkpfl.trainer.testing.FashionMnist;
import org.junit.jupiter.api.Test;

class PrivateSimulationTest {

    private static final TrainingPlan PLAN = new TrainingPlan(1, 32, 0.1, Optimiser.SGD);

    @Test
    void withoutNoiseAndWithALooseClipItFollowsPlaintextFedAvg() {
        LabelledImages train = FashionMnist.train(1200);
        LabelledImages test = FashionMnist.test(300);
        SimulationConfig config = new SimulationConfig(BuiltInModel.LOGREG.spec(), PLAN, 3, 2, new PartitionScheme.Dirichlet(0.5), 11);
        FederatedSimulation.SimulationResult plain = new FederatedSimulation(config).run(train, test, m -> { });
        // L2 clip and coordinate bound far above any logreg update of one epoch: only the 2^-16 fixed point differs
        PrivateSimulation.Terms terms = new PrivateSimulation.Terms(new ClipPolicy(1_000, 64, 60_000), null);
        FederatedSimulation.SimulationResult secure = new PrivateSimulation(config, terms).run(train, test, m -> { });
        assertEquals(2, secure.rounds().size());
        float[] a = plain.finalModel();
        float[] b = secure.finalModel();
        double worst = 0;
        for (int j = 0; j < a.length; j++) {
            worst = Math.max(worst, Math.abs(a[j] - b[j]));
        }
        assertTrue(worst < 1e-3, "largest weight difference " + worst);
        assertEquals(plain.rounds().get(1).accuracy(), secure.rounds().get(1).accuracy(), 0.01);
    }

    @Test
    void aTightClipChangesTheModel() {
        LabelledImages train = FashionMnist.train(1200);
        LabelledImages test = FashionMnist.test(300);
        SimulationConfig config = new SimulationConfig(BuiltInModel.LOGREG.spec(), PLAN, 3, 1, new PartitionScheme.Iid(), 5);
        FederatedSimulation.SimulationResult plain = new FederatedSimulation(config).run(train, test, m -> { });
        PrivateSimulation.Terms terms = new PrivateSimulation.Terms(new ClipPolicy(0.01, 64, 60_000), null);
        FederatedSimulation.SimulationResult clipped = new PrivateSimulation(config, terms).run(train, test, m -> { });
        // an L2 clip of 0.01 on every Δ_i bounds how far the averaged model can move from the start
        double moved = 0;
        double movedPlain = 0;
        float[] start = io.zkpfl.protocol.model.WeightInitializer.initialise(BuiltInModel.LOGREG.spec(), 5);
        for (int j = 0; j < start.length; j++) {
            moved += Math.pow(clipped.finalModel()[j] - start[j], 2);
            movedPlain += Math.pow(plain.finalModel()[j] - start[j], 2);
        }
        assertTrue(Math.sqrt(moved) <= 0.01 + 1e-3, "clipped model moved " + Math.sqrt(moved));
        assertTrue(Math.sqrt(movedPlain) > 0.1, "unclipped model moved " + Math.sqrt(movedPlain));
    }
}
