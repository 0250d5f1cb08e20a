package io.zkpfl.trainer.chain;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What {@code run} needs beyond the chain: Kafka, IPFS and the platform's SRS. */
public final class RoundEndpoints {

    @Option(names = "--kafka", paramLabel = "SERVERS", defaultValue = "${env:ZKPFL_KAFKA:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (env ZKPFL_KAFKA; default: ${DEFAULT-VALUE})")
    public String kafka;

    @Option(names = "--ipfs", paramLabel = "URL", defaultValue = "${env:ZKPFL_IPFS:-http://127.0.0.1:5001}",
            description = "IPFS (Kubo RPC) API URL (env ZKPFL_IPFS; default: ${DEFAULT-VALUE})")
    public String ipfs;

    @Option(names = "--srs", paramLabel = "FILE.ptau", defaultValue = "${env:ZKPFL_SRS}",
            description = "the platform's powers-of-tau file (env ZKPFL_SRS)")
    public Path srs;
}
