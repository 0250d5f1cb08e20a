package io.zkpfl.devstack.bench;

import io.zkpfl.devstack.chain.AnvilNode;
import io.zkpfl.devstack.ipfs.IpfsStore;
import io.zkpfl.devstack.kafka.EmbeddedKafkaBroker;
import io.zkpfl.devstack.postgres.EmbeddedPostgresServer;
import io.zkpfl.protocol.ipfs.BlockSink;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.ImportOptions;
import io.zkpfl.protocol.ipfs.KuboClient;
import io.zkpfl.protocol.ipfs.UnixFsImporter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Start-up time of each embedded component and IPFS add/cat throughput, printed as a table.
 *
 * <pre>./mvnw -B -q -pl devstack exec:java -Dexec.mainClass=io.zkpfl.devstack.bench.DevStackBench -Dexec.classpathScope=test</pre>
 *
 * Optional arguments: start-up repetitions (default 3), IPFS payload MiB (default 64), IPFS repetitions
 * (default 5).
 */
public final class DevStackBench {

    private DevStackBench() {
    }

    public static void main(String[] args) throws Exception {
        int startRuns = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int ioRuns = args.length > 2 ? Integer.parseInt(args[2]) : 5;

        if (startRuns > 0) {
            System.out.printf(Locale.ROOT, "%-28s %8s %8s %8s%n", "start-up (start() to ready)", "min s", "median s", "max s");
            startup("Anvil", startRuns, AnvilNode::start);
            startup("IPFS store", startRuns, IpfsStore::start);
            startup("Kafka (KRaft, in-process)", startRuns, EmbeddedKafkaBroker::start);
            startup("PostgreSQL (initdb + start)", startRuns, EmbeddedPostgresServer::start);
        }

        byte[] data = new byte[mib << 20];
        new Random(1).nextBytes(data);
        System.out.printf(Locale.ROOT, "%n%-40s %9s %9s%n", "IPFS (" + mib + " MiB random, " + ioRuns + " runs)", "median MiB/s", "best MiB/s");
        importer("importer only, CIDv0 (hash, no I/O)", data, ImportOptions.kuboDefaults(), ioRuns);
        importer("importer only, CIDv1 raw leaves", data, ImportOptions.cidV1(), ioRuns);
        try (IpfsStore store = IpfsStore.start()) {
            KuboClient client = KuboClient.create(store.apiUrl());
            for (int version : new int[] {0, 1}) {
                KuboClient.AddOptions options = KuboClient.AddOptions.defaults().withCidVersion(version);
                Cid[] cid = new Cid[1];
                throughput("add via KuboClient → IpfsStore, CIDv" + version, data.length, ioRuns, () -> {
                    cid[0] = client.add(new ByteArrayInputStream(data), options).cid();
                });
                throughput("cat (streamed), CIDv" + version, data.length, ioRuns, () -> drain(client.cat(cid[0])));
                throughput("catVerified (block/get + hash), CIDv" + version, data.length, ioRuns,
                        () -> drain(client.catVerified(cid[0])));
            }
        }
    }

    private interface Action {
        void run() throws IOException;
    }

    private static void startup(String name, int runs, Supplier<? extends AutoCloseable> start) throws Exception {
        double[] s = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            AutoCloseable c = start.get();
            s[i] = (System.nanoTime() - t0) / 1e9;
            c.close();
        }
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%-28s %8.2f %8.2f %8.2f%n", name, s[0], s[runs / 2], s[runs - 1]);
    }

    private static void importer(String name, byte[] data, ImportOptions options, int runs) throws IOException {
        UnixFsImporter importer = new UnixFsImporter(options);
        throughput(name, data.length, runs, () -> importer.importFile(new ByteArrayInputStream(data), BlockSink.discard()));
    }

    private static void throughput(String name, long bytes, int runs, Action action) throws IOException {
        for (int i = 0; i < 3; i++) {
            action.run(); // warm-up: JIT of the client, the HTTP server and the importer
        }
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            action.run();
            rates.add(bytes / 1048576.0 / ((System.nanoTime() - t0) / 1e9));
        }
        rates.sort(null);
        System.out.printf(Locale.ROOT, "%-40s %9.0f %9.0f%n", name, rates.get(runs / 2), rates.get(runs - 1));
    }

    private static void drain(InputStream in) throws IOException {
        try (in) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) > 0) {
                // discard
            }
        }
    }
}
