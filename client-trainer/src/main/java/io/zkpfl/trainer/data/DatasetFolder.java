package io.zkpfl.trainer.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A folder in the layout of MNIST / Fashion-MNIST: {@code train-images-idx3-ubyte(.gz)},
 * {@code train-labels-idx1-ubyte(.gz)} and optionally the test split {@code t10k-images-idx3-ubyte(.gz)},
 * {@code t10k-labels-idx1-ubyte(.gz)}. Debian's {@code dataset-fashion-mnist} installs this layout in
 * {@link #FASHION_MNIST}.
 */
public record DatasetFolder(Path dir) {

    /** Where Debian's {@code dataset-fashion-mnist} package installs the data set. */
    public static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /** Name prefix of the training split. */
    public static final String TRAIN = "train";
    /** Name prefix of the test split. */
    public static final String TEST = "t10k";

    /** The training split. */
    public LabelledImages train() {
        return load(TRAIN);
    }

    /** The test split. */
    public LabelledImages test() {
        return load(TEST);
    }

    /** True when both files of the split are present (gzipped or not). */
    public boolean has(String split) {
        return find(split + "-images-idx3-ubyte") != null && find(split + "-labels-idx1-ubyte") != null;
    }

    /** Loads a split, checking that images and labels agree. */
    public LabelledImages load(String split) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException("data folder " + dir + " does not exist");
        }
        String images = split + "-images-idx3-ubyte";
        String labels = split + "-labels-idx1-ubyte";
        Path imageFile = find(images);
        Path labelFile = find(labels);
        if (imageFile == null || labelFile == null) {
            throw new DatasetException("no " + (split.equals(TEST) ? "test" : "training") + " data in " + dir + ": expected "
                    + images + "(.gz) and " + labels + "(.gz)");
        }
        IdxFile.Images pixels = IdxFile.readImages(imageFile);
        byte[] y = IdxFile.readLabels(labelFile);
        if (pixels.count() != y.length) {
            throw new DatasetException(imageFile.getFileName() + " holds " + pixels.count() + " images but "
                    + labelFile.getFileName() + " holds " + y.length + " labels");
        }
        return new LabelledImages(pixels.rows(), pixels.cols(), pixels.pixels(), y);
    }

    /** Writes a split in this folder (gzipped), creating the folder. */
    public void write(String split, LabelledImages data) throws IOException {
        Files.createDirectories(dir);
        IdxFile.writeImages(dir.resolve(split + "-images-idx3-ubyte.gz"), data.count(), data.rows(), data.cols(), data.pixels());
        IdxFile.writeLabels(dir.resolve(split + "-labels-idx1-ubyte.gz"), data.labels());
    }

    private Path find(String base) {
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(base);
        return Files.isRegularFile(plain) ? plain : null;
    }
}
