package io.zkpfl.trainer.federated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.protocol.model.Optimiser;
import io.zkpfl.protocol.model.TrainingPlan;
import io.zkpfl.trainer.data.LabelledImages;
import io.zkpfl.trainer.data.PartitionScheme;
import io.zkpfl.trainer.model.BuiltInModel;
import io.zkpfl.trainer.model.SpecNetwork;
import io.zkpfl.trainer.testing.FashionMnist;
import io.zkpfl.trainer.training.LocalTrainer;
import io.zkpfl.trainer.training.TrainingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FederatedSimulationTest {

    private static final TrainingPlan PLAN = new TrainingPlan(1, 32, 0.1, Optimiser.SGD);

    @Test
    void sameSeedsGiveTheSameRoundsAndModel(@TempDir Path dir) throws Exception {
        LabelledImages train = FashionMnist.train(2000);
        LabelledImages test = FashionMnist.test(500);
        SimulationConfig config = new SimulationConfig(BuiltInModel.LOGREG.spec(), PLAN, 4, 3, new PartitionScheme.Dirichlet(0.5), 7);
        List<RoundMetrics> seen = new ArrayList<>();
        FederatedSimulation.SimulationResult a = new FederatedSimulation(config).run(train, test, seen::add);
        FederatedSimulation.SimulationResult b = new FederatedSimulation(config).run(train, test, m -> { });
        assertEquals(3, seen.size());
        assertArrayEquals(a.finalModel(), b.finalModel());
        for (int r = 0; r < 3; r++) {
            assertEquals(a.rounds().get(r).accuracy(), b.rounds().get(r).accuracy());
            assertEquals(a.rounds().get(r).loss(), b.rounds().get(r).loss());
        }
        assertTrue(a.rounds().get(2).accuracy() > 0.5, "FedAvg learns (chance is 0.1): " + a.rounds());
        assertTrue(a.rounds().get(0).loss() > a.rounds().get(1).loss() && a.rounds().get(1).loss() > a.rounds().get(2).loss(),
                "test loss falls every round: " + a.rounds());
        assertEquals(2000, java.util.Arrays.stream(a.trainerSizes()).sum());

        SimulationConfig other = new SimulationConfig(BuiltInModel.LOGREG.spec(), PLAN, 4, 3, new PartitionScheme.Dirichlet(0.5), 8);
        FederatedSimulation.SimulationResult c = new FederatedSimulation(other).run(train, test, m -> { });
        assertTrue(!java.util.Arrays.equals(a.finalModel(), c.finalModel()), "another seed gives another run");

        Path csv = dir.resolve("rounds.csv");
        SimulationReport.writeCsv(csv, a.rounds());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(SimulationReport.CSV_HEADER, lines.get(0));
        assertEquals(4, lines.size());
        assertEquals(a.rounds().get(2).accuracy(), Double.parseDouble(lines.get(3).split(",")[1]), 1e-6);
        Path png = dir.resolve("accuracy.png");
        SimulationReport.writePlot(png, "test", List.of(new SimulationReport.Curve("dirichlet", a.rounds())));
        var image = ImageIO.read(png.toFile());
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());
    }

    @Test
    void oneTrainerOneRoundEqualsPlainLocalTraining() {
        // With a single trainer, FedAvg's average is that trainer's model: the round must reproduce
        // local training from the same initial weights with the same batch-order seed.
        LabelledImages train = FashionMnist.train(500);
        long seed = 3;
        SimulationConfig config = new SimulationConfig(BuiltInModel.MLP.spec(), PLAN, 1, 1, new PartitionScheme.Iid(), seed);
        FederatedSimulation.SimulationResult sim = new FederatedSimulation(config).run(train, FashionMnist.test(100), m -> { });
        SpecNetwork net = SpecNetwork.build(BuiltInModel.MLP.spec(), PLAN, seed);
        int[] all = new PartitionScheme.Iid().split(train, 1, seed)[0];
        LocalTrainer.train(net, train.select(all), PLAN, seed * 1_000_003L + 10_007L, new TrainingProgress.Silent());
        assertArrayEquals(net.parameters(), sim.finalModel());
    }
}
