package io.zkpfl.trainer.training;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.zkpfl.trainer.model.TorchRuntime;
import java.util.Map;

/**
 * The number of threads libtorch computes with (docs/adr/0047, amending 0046). libtorch's count can
 * change at any time ({@code torch::set_num_threads}, through DJL); its OpenMP runtime reads
 * {@code OMP_WAIT_POLICY} once, when it loads, so {@link #configure} first writes the environment
 * through the C library's {@code setenv} and only then loads libtorch.
 */
public final class ComputeThreads {

    /** The environment variable that OpenMP reads for its default thread count. */
    public static final String OMP_NUM_THREADS = "OMP_NUM_THREADS";
    /** Waiting OpenMP threads sleep instead of spinning when this is {@code PASSIVE} (docs/adr/0046). */
    public static final String OMP_WAIT_POLICY = "OMP_WAIT_POLICY";

    private interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private ComputeThreads() {
    }

    /**
     * The thread count to use when none is asked for: {@code OMP_NUM_THREADS} from {@code environment}
     * when it holds a positive integer, otherwise {@code cores}.
     */
    public static int defaultCount(Map<String, String> environment, int cores) {
        String value = environment.get(OMP_NUM_THREADS);
        if (value != null) {
            try {
                int n = Integer.parseInt(value.strip());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // not a count: fall back to the cores
            }
        }
        return cores;
    }

    /**
     * Sets libtorch's thread count to {@code threads}. First writes {@code OMP_NUM_THREADS} into this
     * process's environment and, for more than one thread, {@code OMP_WAIT_POLICY=PASSIVE} unless the
     * environment already sets a policy, so that waiting threads sleep instead of spinning on a
     * shared machine; OpenMP reads both when libtorch loads, so only the first call sets the policy.
     *
     * @throws IllegalArgumentException when {@code threads} is below 1
     */
    public static void configure(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        CLibrary c = Native.load("c", CLibrary.class);
        if (c.setenv(OMP_NUM_THREADS, Integer.toString(threads), 1) != 0) {
            throw new IllegalStateException("setenv(" + OMP_NUM_THREADS + ") failed");
        }
        if (threads > 1) {
            c.setenv(OMP_WAIT_POLICY, "PASSIVE", 0);
        }
        TorchRuntime.setThreads(threads);
    }

    /** The thread count libtorch runs with (loads libtorch if it is not loaded yet). */
    public static int active() {
        return TorchRuntime.threads();
    }
}
