import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * GemmProbe (io.zkpfl.trainer.bench) for JavaCPP's PyTorch presets, which link libtorch with
 * OpenBLAS instead of MKL. Not compiled by the build (the presets are no dependency of the
 * project); run it as a source file, see docs/benchmarks.md. Prints
 * {@code GEMM <n> <in> <out> <µs of CPU per call>}.
 */
public final class GemmProbeJavaCpp {

    public static void main(String[] args) {
        torch.set_num_threads(1);
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        for (int[] s : new int[][] {{128, 784, 10}, {128, 784, 32}, {32, 784, 32}, {128, 3136, 64}}) {
            try (PointerScope outer = new PointerScope()) {
                Tensor x = torch.rand(s[0], s[1]);
                Tensor w = torch.rand(s[2], s[1]);
                TensorOptional b = new TensorOptional(torch.zeros(s[2]));
                for (int i = 0; i < calls / 4; i++) {
                    try (PointerScope inner = new PointerScope()) {
                        torch.linear(x, w, b);
                    }
                }
                long cpu = cpuNanos();
                for (int i = 0; i < calls; i++) {
                    try (PointerScope inner = new PointerScope()) {
                        torch.linear(x, w, b);
                    }
                }
                System.out.printf(Locale.ROOT, "GEMM %d %d %d %.1f%n", s[0], s[1], s[2], (cpuNanos() - cpu) / 1e3 / calls);
            }
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
