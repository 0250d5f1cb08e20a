package io.zkpfl.trainer.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one libtorch in the JVM, reached through DJL's PyTorch engine (docs/adr/0045, 0047).
 *
 * <p>Loading it sets {@code ai.djl.offline=true} (the native libraries come from the
 * {@code pytorch-native-cpu} and {@code pytorch-jni} jars on the class path and are never
 * downloaded) and one inter-op thread, unless the system properties already say otherwise. The
 * intra-op thread count and the random generator are process-wide in libtorch, so they live here.
 */
public final class TorchRuntime {

    /** DJL's engine name for libtorch. */
    public static final String ENGINE = "PyTorch";

    private TorchRuntime() {
    }

    private static final class Loaded {
        static final Engine ENGINE_INSTANCE = load();

        private static Engine load() {
            if (System.getProperty("ai.djl.offline") == null) {
                System.setProperty("ai.djl.offline", "true");
            }
            if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
                System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            }
            return Engine.getEngine(ENGINE);
        }
    }

    /** Loads libtorch if it is not loaded yet. */
    public static Engine engine() {
        return Loaded.ENGINE_INSTANCE;
    }

    /** A new root manager for arrays on the CPU; closing it frees every array it holds. */
    public static NDManager newManager() {
        return engine().newBaseManager(Device.cpu());
    }

    /** Sets libtorch's intra-op thread count for the whole process (takes effect from the next operation). */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        engine();
        JniUtils.setNumThreads(threads);
    }

    /** libtorch's intra-op thread count. */
    public static int threads() {
        engine();
        return JniUtils.getNumThreads();
    }

    /** Seeds libtorch's CPU generator (dropout masks). */
    public static void seed(long seed) {
        engine();
        JniUtils.setSeed(seed);
    }

    /** The libtorch version DJL loaded. */
    public static String version() {
        return engine().getVersion();
    }
}
