package io.zkpfl.devstack.fault;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** POSIX signals sent to child processes with {@code kill(1)}; the JDK can only send TERM and KILL. */
public enum UnixSignal {
    STOP, CONT, TERM, KILL;

    /**
     * Sends this signal to every live process in {@code processes}; one that has exited in the meantime is
     * skipped.
     *
     * @throws IllegalStateException when {@code kill} cannot be run or refuses a process
     */
    public void send(Collection<ProcessHandle> processes) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + name()));
        processes.stream().filter(ProcessHandle::isAlive).forEach(p -> command.add(Long.toString(p.pid())));
        if (command.size() == 2) {
            return;
        }
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes()).strip();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + name() + " did not finish");
            }
            // a process that exited meanwhile (a backend whose client left) is no failure
            String failures = output.lines().filter(line -> !line.contains("No such process"))
                    .reduce((a, b) -> a + "; " + b).orElse("");
            if (kill.exitValue() != 0 && !failures.isEmpty()) {
                throw new IllegalStateException("kill -" + name() + " failed: " + failures);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill -" + name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + name(), e);
        }
    }

    /** SIGSTOP to every process; if that fails part-way, SIGCONT to all of them, so none is left frozen. */
    public static void stopAll(Collection<ProcessHandle> processes) {
        try {
            STOP.send(processes);
        } catch (RuntimeException e) {
            CONT.send(processes);
            throw e;
        }
    }
}
