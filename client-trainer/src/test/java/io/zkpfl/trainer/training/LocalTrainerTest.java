package io.zkpfl.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.protocol.model.ModelSpec;
import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.trainer.data.DatasetException;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.model.BuiltInModel;
import io.zkpfl.trainer.model.SpecNetwork;
import io.zkpfl.trainer.testing.FashionMnist;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LocalTrainerTest {

    @ParameterizedTest
    @CsvSource({"logreg, SGD, 0.1, 0.70", "mlp, ADAM, 0.003, 0.70", "mlp, MOMENTUM, 0.02, 0.70"})
    void learnsFashionMnistFromAFewThousandSamples(String model, Optimiser optimiser, double lr, double minAccuracy) {
        ModelSpec spec = BuiltInModel.byName(model).spec();
        TrainingPlan plan = new TrainingPlan(2, 32, lr, optimiser);
        SpecNetwork net = SpecNetwork.build(spec, plan, 1);
        LabelledImages test = FashionMnist.test(1000);
        Evaluation before = Evaluator.evaluate(net, test);
        StringWriter log = new StringWriter();
        LocalTrainer.TrainingRun run = LocalTrainer.train(net, FashionMnist.train(3000), plan, 1, new TrainingProgress.EpochLog(new PrintWriter(log)));
        Evaluation after = Evaluator.evaluate(net, test);
        assertTrue(before.accuracy() < 0.3, "untrained accuracy near chance: " + before);
        assertTrue(after.accuracy() >= minAccuracy, model + "/" + optimiser + ": " + after);
        assertTrue(after.loss() < before.loss(), "loss fell: " + before + " -> " + after);
        assertEquals(6000, run.samplesSeen());
        assertEquals(1000, after.samples());
        String[] lines = log.toString().split("\n");
        assertEquals(2, lines.length, "one line per epoch in a pipe: " + log);
        assertTrue(lines[1].startsWith("epoch 2/2: 3000 samples"), lines[1]);
    }

    @Test
    void sameSeedGivesTheSameWeightsAndAnotherSeedDoesNot() {
        ModelSpec spec = BuiltInModel.CNN.spec();
        TrainingPlan plan = new TrainingPlan(1, 16, 0.01, Optimiser.ADAM);
        LabelledImages data = FashionMnist.train(256);
        float[] a = trained(spec, plan, data, 5);
        float[] b = trained(spec, plan, data, 5);
        float[] c = trained(spec, plan, data, 6);
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void evaluationMatchesAHandCountOfCorrectPredictions() {
        ModelSpec spec = BuiltInModel.LOGREG.spec();
        SpecNetwork net = SpecNetwork.build(spec, new TrainingPlan(1, 32, 0.1, Optimiser.SGD), 2);
        LabelledImages test = FashionMnist.test(300);
        LocalTrainer.train(net, FashionMnist.train(1000), new TrainingPlan(1, 32, 0.1, Optimiser.SGD), 2, new TrainingProgress.Silent());
        TensorBatch batch = TensorBatch.of(spec, test, null, 0, test.count());
        float[] out = net.output(batch.features(), batch.count());
        int correct = 0;
        double nll = 0;
        for (int i = 0; i < test.count(); i++) {
            int best = 0;
            for (int o = 1; o < 10; o++) {
                best = out[i * 10 + o] > out[i * 10 + best] ? o : best;
            }
            correct += best == test.label(i) ? 1 : 0;
            nll -= Math.log(out[i * 10 + test.label(i)]);
        }
        Evaluation e = Evaluator.evaluate(net, test);
        assertEquals(correct / 300.0, e.accuracy(), 1e-12);
        assertEquals(nll / 300, e.loss(), 1e-5);
    }

    @Test
    void rejectsDataThatDoesNotFitTheModel() {
        ModelSpec spec = ModelSpec.parse("""
                {"input": {"shape": [100]}, "layers": [{"type": "output", "units": 10}]}""");
        SpecNetwork net = SpecNetwork.build(spec, new TrainingPlan(1, 32, 0.1, Optimiser.SGD), 2);
        DatasetException e = assertThrows(DatasetException.class,
                () -> LocalTrainer.train(net, FashionMnist.train(10), new TrainingPlan(1, 32, 0.1, Optimiser.SGD), 1, new TrainingProgress.Silent()));
        assertTrue(e.getMessage().contains("[100]") && e.getMessage().contains("28x28"), e.getMessage());
        ModelSpec three = ModelSpec.parse("""
                {"input": {"shape": [784]}, "layers": [{"type": "output", "units": 3}]}""");
        DatasetException labels = assertThrows(DatasetException.class, () -> TensorBatch.requireCompatible(three, FashionMnist.train(100)));
        assertTrue(labels.getMessage().contains("only 3 outputs"), labels.getMessage());
    }

    @Test
    void terminalBarShowsProgressRateAndEta() {
        assertEquals("epoch 2/3 [###############...............] 500/1000 250 samples/s ETA 0:02",
                TrainingProgress.TerminalBar.bar(2, 3, 500, 1000, 250, 2));
        assertEquals("epoch 1/1 [##############################] 60000/60000 1234 samples/s ETA 1:05",
                TrainingProgress.TerminalBar.bar(1, 1, 60000, 60000, 1234.4, 65));
    }

    private static float[] trained(ModelSpec spec, TrainingPlan plan, LabelledImages data, long seed) {
        SpecNetwork net = SpecNetwork.build(spec, plan, seed);
        LocalTrainer.train(net, data, plan, seed, new TrainingProgress.Silent());
        return net.parameters();
    }
}
