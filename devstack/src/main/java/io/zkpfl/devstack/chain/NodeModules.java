package io.zkpfl.devstack.chain;

import io.zkpfl.zk.solidity.SolcJs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The repository's npm {@code node_modules} folder, where pinned tools such as Anvil are installed.
 *
 * <p>Found from the system property {@code zkpfl.node-modules}, else the environment variable
 * {@code ZKPFL_NODE_MODULES}, else by walking up from the working directory to the first folder that
 * holds a {@code package.json} next to a {@code node_modules}.
 */
public record NodeModules(Path dir) {

    /** System property naming the {@code node_modules} folder (or the folder that contains it). */
    public static final String PROPERTY = SolcJs.NODE_MODULES_PROPERTY;
    /** Environment variable naming the {@code node_modules} folder (or the folder that contains it). */
    public static final String ENV = SolcJs.NODE_MODULES_ENV;

    /**
     * Locates {@code node_modules} ({@link SolcJs#nodeModules()}).
     *
     * @throws IllegalStateException when none is found, saying where to run {@code npm ci}
     */
    public static NodeModules locate() {
        return new NodeModules(SolcJs.nodeModules());
    }

    /**
     * The Anvil binary shipped by the npm platform package {@code @foundry-rs/anvil-<os>-<arch>}.
     *
     * @throws IllegalStateException when the package for this platform is not installed
     */
    public Path anvilBinary() {
        String platform = os() + "-" + arch();
        String exe = os().equals("win32") ? "anvil.exe" : "anvil";
        Path bin = dir.resolve("@foundry-rs").resolve("anvil-" + platform).resolve("bin").resolve(exe);
        if (!Files.isRegularFile(bin)) {
            throw new IllegalStateException("Anvil is not installed (" + bin + " is missing): run npm ci in "
                    + dir.getParent());
        }
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("Anvil at " + bin + " is not executable: run npm ci in " + dir.getParent());
        }
        return bin;
    }

    private static String os() {
        String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (name.contains("linux")) {
            return "linux";
        }
        if (name.contains("mac") || name.contains("darwin")) {
            return "darwin";
        }
        if (name.contains("win")) {
            return "win32";
        }
        return name.replace(' ', '-');
    }

    private static String arch() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }
}
