package io.zkpfl.devstack.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a loopback port in front of a component that runs inside this JVM, so that the component
 * can be stalled and killed as clients see it (ADR 0012). Stalled, it accepts connections and reads
 * nothing further, forwards nothing, answers nothing; dropped, it resets every connection and its port
 * refuses new ones; listening again, it binds the same port.
 */
public final class LoopbackProxy implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;

    private final String name;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile int targetPort;
    private volatile int port;
    private ServerSocket listener;
    private boolean stalled;

    private LoopbackProxy(String name, int targetPort) {
        this.name = name;
        this.targetPort = targetPort;
    }

    /**
     * Starts a proxy on a free loopback port forwarding to {@code targetPort} on loopback.
     *
     * @param name       names the proxy's threads
     * @param targetPort where the component listens
     */
    public static LoopbackProxy start(String name, int targetPort) {
        LoopbackProxy proxy = new LoopbackProxy(name, targetPort);
        proxy.listen();
        return proxy;
    }

    /** The port clients connect to; it never changes. */
    public int port() {
        return port;
    }

    /** Forwards new connections to {@code targetPort} from now on. */
    public void retarget(int targetPort) {
        this.targetPort = targetPort;
    }

    /** Stops forwarding in both directions, on open and new connections alike, until {@link #resume()}. */
    public void stall() {
        synchronized (gate) {
            stalled = true;
        }
    }

    /** Forwards again. */
    public void resume() {
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
    }

    /** Whether forwarding is stopped. */
    public boolean isStalled() {
        synchronized (gate) {
            return stalled;
        }
    }

    /** Closes the port and every open connection; clients see resets and refused connections. */
    public synchronized void drop() {
        if (listener != null) {
            closeQuietly(listener);
            listener = null;
        }
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
        resume();
    }

    /** Listens again, on the same port once one was bound. No effect when it listens already. */
    public synchronized void listen() {
        if (listener != null) {
            return;
        }
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
                listener = s;
                port = s.getLocalPort();
                Thread.ofPlatform().daemon().name(name + "-proxy-accept").start(() -> accept(s));
                return;
            } catch (IOException e) {
                last = e;
                sleep(100);
            }
        }
        throw new UncheckedIOException(name + " proxy cannot bind port " + port, last);
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(client);
            Thread.ofVirtual().name(name + "-proxy-connect").start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 10_000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            sockets.remove(client);
            return;
        }
        sockets.add(upstream);
        if (client.isClosed()) {
            closeQuietly(upstream);
            sockets.remove(upstream);
            return;
        }
        AtomicInteger halfClosed = new AtomicInteger();
        Thread.ofVirtual().name(name + "-proxy-up").start(() -> pump(client, upstream, halfClosed));
        Thread.ofVirtual().name(name + "-proxy-down").start(() -> pump(upstream, client, halfClosed));
    }

    /** Copies {@code from} to {@code to}; closes both on an error, or once both directions reached their end. */
    private void pump(Socket from, Socket to, AtomicInteger halfClosed) {
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                awaitForwarding();
                int n = in.read(buffer);
                if (n < 0) {
                    to.shutdownOutput();
                    if (halfClosed.incrementAndGet() == 2) {
                        closeBoth(from, to);
                    }
                    return;
                }
                awaitForwarding();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            closeBoth(from, to);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeBoth(from, to);
        }
    }

    private void closeBoth(Socket a, Socket b) {
        closeQuietly(a);
        closeQuietly(b);
        sockets.remove(a);
        sockets.remove(b);
    }

    private void awaitForwarding() throws InterruptedException {
        synchronized (gate) {
            while (stalled) {
                gate.wait();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on the way out
        }
    }

    /** Drops everything; the port is released. */
    @Override
    public void close() {
        drop();
    }

    @Override
    public String toString() {
        return "LoopbackProxy[" + name + " 127.0.0.1:" + port + " -> " + targetPort + "]";
    }
}
