package io.zkpfl.trainer.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import io.zkpfl.trainer.model.TorchRuntime;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Probe (not a test): CPU time of one libtorch {@code linear} (addmm) of the benchmark's shapes,
 * without any training around it, to compare libtorch's GEMM with PyTorch's on the same CPU:
 * {@code src/test/python/gemm_probe.py} times the same calls. Prints
 * {@code GEMM <n> <in> <out> <µs of CPU per call>}.
 */
public final class GemmProbe {

    private GemmProbe() {
    }

    public static void main(String[] args) {
        TorchRuntime.setThreads(1);
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        try (NDManager m = TorchRuntime.newManager()) {
            for (int[] s : new int[][] {{128, 784, 10}, {128, 784, 32}, {32, 784, 32}, {128, 3136, 64}}) {
                NDArray x = m.randomUniform(0, 1, new Shape(s[0], s[1]));
                NDArray w = m.randomUniform(-0.1f, 0.1f, new Shape(s[2], s[1]));
                NDArray b = m.zeros(new Shape(s[2]));
                for (int i = 0; i < calls / 4; i++) {
                    Linear.linear(x, w, b).singletonOrThrow().close();
                }
                long cpu = cpuNanos();
                for (int i = 0; i < calls; i++) {
                    Linear.linear(x, w, b).singletonOrThrow().close();
                }
                System.out.printf(Locale.ROOT, "GEMM %d %d %d %.1f%n", s[0], s[1], s[2], (cpuNanos() - cpu) / 1e3 / calls);
            }
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
