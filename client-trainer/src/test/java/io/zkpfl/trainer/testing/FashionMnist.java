package io.zkpfl.trainer.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zkpfl.trainer.data.DatasetFolder;
import io.zkpfl.trainer.data.LabelledImages;

/** Small slices of the installed Fashion-MNIST, read once per test JVM. */
public final class FashionMnist {

    private static LabelledImages train;
    private static LabelledImages test;

    private FashionMnist() {
    }

    /** The installed data folder; fails with the install hint when the Debian package is missing. */
    public static DatasetFolder folder() {
        DatasetFolder folder = new DatasetFolder(DatasetFolder.FASHION_MNIST);
        assertTrue(folder.has(DatasetFolder.TRAIN) && folder.has(DatasetFolder.TEST),
                "Fashion-MNIST is missing from " + DatasetFolder.FASHION_MNIST + ": apt-get install dataset-fashion-mnist (.ci/run does)");
        return folder;
    }

    /** The first {@code n} training samples. */
    public static synchronized LabelledImages train(int n) {
        if (train == null) {
            train = folder().train();
        }
        return train.head(n);
    }

    /** The first {@code n} test samples. */
    public static synchronized LabelledImages test(int n) {
        if (test == null) {
            test = folder().test();
        }
        return test.head(n);
    }
}
