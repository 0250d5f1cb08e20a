package io.zkpfl.trainer.training;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The number of threads ND4J and OpenBLAS compute with. libgomp, OpenBLAS and libnd4j read
 * {@code OMP_NUM_THREADS} once, when ND4J loads them, and ignore later changes (docs/adr/0041), so
 * {@link #configure} writes it into the process environment through the C library's {@code setenv}
 * and must run before the first ND4J operation in the JVM.
 */
public final class ComputeThreads {

    /** The environment variable that libgomp, OpenBLAS and libnd4j read. */
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
     * Sets {@code OMP_NUM_THREADS} to {@code threads} in this process's environment, and, for more
     * than one thread, {@code OMP_WAIT_POLICY=PASSIVE} unless the environment already sets a policy.
     * Has no effect on an ND4J that is already loaded.
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
    }

    /** The thread count libnd4j runs with (loads ND4J if it is not loaded yet). */
    public static int active() {
        return Nd4j.getEnvironment().maxThreads();
    }
}
