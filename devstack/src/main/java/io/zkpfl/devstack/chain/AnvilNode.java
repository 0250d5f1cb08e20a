package io.zkpfl.devstack.chain;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkpfl.devstack.TempDirs;
import io.zkpfl.devstack.fault.FaultState;
import io.zkpfl.devstack.fault.SignalledComponent;
import io.zkpfl.devstack.fault.UnixSignal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local EVM dev chain: Anvil (from the npm package {@code @foundry-rs/anvil}) run as a child process on a
 * free loopback port, funded from the standard dev mnemonic (see {@link DevAccounts}).
 *
 * <p>{@link #start()} returns once the node answers {@code eth_chainId}. {@link #close()} kills the process;
 * a JVM shutdown hook does the same if the node is never closed, so no Anvil outlives the JVM.
 *
 * <p>The chain is kept in a state file ({@code --state}) in a temporary directory: {@link #kill()} ends
 * the process with SIGTERM, on which Anvil writes the file, and {@link #restart()} starts Anvil on the
 * same port from it, so blocks, receipts, logs and balances survive (ADR 0012). {@link #stall()} sends
 * SIGSTOP.
 */
public final class AnvilNode extends SignalledComponent implements ChainEndpoint, AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Listening on ([0-9.]+):(\\d+)");
    private static final int TAIL_LINES = 40;

    private static final String STATE_FILE = "state.json";

    private final AnvilOptions options;
    private final Path stateDir;
    private final int port;
    private final long chainId;
    private final JsonRpc rpc;
    private Process process;
    private Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AnvilNode(AnvilOptions options, Path stateDir, Launched launched, long chainId) {
        this.options = options;
        this.stateDir = stateDir;
        this.process = launched.process();
        this.port = launched.port();
        this.chainId = chainId;
        this.rpc = new JsonRpc(rpcUrl());
        this.shutdownHook = launched.hook();
    }

    /** A running Anvil process, the port it listens on, and the hook that kills it at JVM exit. */
    private record Launched(Process process, int port, Thread hook) {
    }

    /** Starts Anvil with {@link AnvilOptions#defaults()}. */
    public static AnvilNode start() {
        return start(AnvilOptions.defaults());
    }

    /**
     * Starts Anvil and waits until its JSON-RPC answers with the configured chain id.
     *
     * @throws IllegalStateException when the binary is missing or the node does not come up in time
     *                               (the message carries the end of Anvil's output)
     */
    public static AnvilNode start(AnvilOptions options) {
        Path stateDir = TempDirs.create("zkpfl-anvil-");
        long deadline = System.nanoTime() + options.startupTimeout().toNanos();
        Launched launched;
        try {
            launched = launch(options, 0, stateDir);
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(stateDir);
            throw e;
        }
        AnvilNode node = new AnvilNode(options, stateDir, launched, options.chainId());
        try {
            long reported = node.awaitChainId(deadline);
            if (reported != options.chainId()) {
                throw new IllegalStateException("Anvil reports chain id " + reported + ", expected "
                        + options.chainId());
            }
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** Runs Anvil on {@code port} (0: a free one) with its state file in {@code stateDir}, until it listens. */
    private static Launched launch(AnvilOptions options, int port, Path stateDir) {
        Path binary = NodeModules.locate().anvilBinary();
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--host", "127.0.0.1",
                "--port", Integer.toString(port),
                "--chain-id", Long.toString(options.chainId()),
                "--mnemonic", AnvilOptions.DEV_MNEMONIC,
                "--accounts", Integer.toString(options.accounts()),
                "--balance", Long.toString(options.balanceEther()),
                "--gas-limit", Long.toString(options.gasLimit()),
                "--state", stateDir.resolve(STATE_FILE).toString()));
        if (options.blockTime() != null) {
            long millis = options.blockTime().toMillis();
            command.add("--block-time");
            command.add(millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0));
        }
        if (options.stepsTracing()) {
            command.add("--steps-tracing");
        }
        options.codeSizeLimit().ifPresent(limit -> {
            command.add("--code-size-limit");
            command.add(Long.toString(limit));
        });

        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run Anvil at " + binary + ": " + e.getMessage(), e);
        }
        Thread hook = new Thread(() -> kill(process), "anvil-shutdown-" + process.pid());
        Runtime.getRuntime().addShutdownHook(hook);

        ArrayDeque<String> tail = new ArrayDeque<>();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> pumpOutput(process, tail, listening), "anvil-output-" + process.pid());
        pump.setDaemon(true);
        pump.start();

        try {
            int listeningPort = listening.get(options.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return new Launched(process, listeningPort, hook);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort(process, hook);
            throw new IllegalStateException("interrupted while starting Anvil", e);
        } catch (ExecutionException | TimeoutException e) {
            abort(process, hook);
            String cause = e instanceof TimeoutException ? "did not listen within " + options.startupTimeout()
                    : String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            throw new IllegalStateException("Anvil failed to start (" + cause + "); last output:\n"
                    + snapshot(tail), e);
        }
    }

    private long awaitChainId(long deadlineNanos) {
        IOException last = null;
        while (System.nanoTime() < deadlineNanos) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Anvil exited with status " + process.exitValue());
            }
            try {
                JsonNode result = rpc.call("eth_chainId", "[]");
                return Long.decode(result.asText());
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Anvil", e);
            }
        }
        throw new IllegalStateException("Anvil JSON-RPC did not answer eth_chainId in time"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    private static void pumpOutput(Process process, ArrayDeque<String> tail, CompletableFuture<Integer> listening) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (tail) {
                    if (tail.size() == TAIL_LINES) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
                if (!listening.isDone()) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(Integer.parseInt(m.group(2)));
                    }
                }
            }
        } catch (IOException ignored) {
            // the stream closes when the process dies
        } finally {
            listening.completeExceptionally(new IllegalStateException("Anvil exited before listening"));
        }
    }

    private static String snapshot(ArrayDeque<String> tail) {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    private static void abort(Process process, Thread hook) {
        kill(process);
        removeHook(hook);
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: nothing to remove
        }
    }

    /** JSON-RPC endpoint, {@code http://127.0.0.1:PORT}. */
    public String rpcUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The loopback port Anvil listens on. */
    public int port() {
        return port;
    }

    /** The chain id (31337 unless configured otherwise). */
    public long chainId() {
        return chainId;
    }

    /** The operating-system process id of the Anvil child. */
    public long pid() {
        return process.pid();
    }

    /** Whether the Anvil process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    protected List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        return all;
    }

    /**
     * Ends Anvil with SIGTERM, on which it writes its state file (SIGKILL after 30 s), and waits for the
     * process to exit.
     */
    @Override
    protected void terminate(boolean stalled) {
        if (stalled) {
            UnixSignal.CONT.send(processes());
        }
        UnixSignal.TERM.send(List.of(process.toHandle()));
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping Anvil", e);
        }
        removeHook(shutdownHook);
    }

    /** Starts Anvil on the same port from its state file and waits until it answers. */
    @Override
    protected void startAgain() {
        long deadline = System.nanoTime() + options.startupTimeout().toNanos();
        Launched launched = launch(options, port, stateDir);
        process = launched.process();
        shutdownHook = launched.hook();
        awaitChainId(deadline);
    }

    /** The file Anvil writes its chain to when it stops and reads it from when it starts. */
    public Path stateFile() {
        return stateDir.resolve(STATE_FILE);
    }

    /**
     * Sends one JSON-RPC request and returns the JSON text of its {@code result} (handy for
     * {@code evm_snapshot}, {@code evm_revert}, {@code anvil_mine} and similar dev-only calls).
     *
     * @param method          the JSON-RPC method
     * @param paramsJsonArray the parameters as a JSON array, e.g. {@code ["0xabc…", "latest"]}
     * @throws UncheckedIOException when the node cannot be reached or returns a JSON-RPC error
     */
    public String rpc(String method, String paramsJsonArray) {
        try {
            return rpc.call(method, paramsJsonArray).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the Anvil process, waits for it to exit and deletes its state. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed.compareAndSet(false, true)) {
            if (state() == FaultState.STALLED) {
                UnixSignal.CONT.send(processes());
            }
            abort(process, shutdownHook);
            if (Files.exists(stateDir)) {
                TempDirs.deleteRecursively(stateDir);
            }
        }
    }

    @Override
    public String toString() {
        return "AnvilNode[" + rpcUrl() + ", chainId=" + chainId + "]";
    }

}
