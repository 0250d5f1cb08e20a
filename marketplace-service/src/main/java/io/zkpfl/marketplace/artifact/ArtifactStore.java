package io.zkpfl.marketplace.artifact;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.zkpfl.marketplace.MarketplaceConfig;
import io.zkpfl.marketplace.dependency.Dependency;
import io.zkpfl.marketplace.dependency.DependencyUnavailableException;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.ipfs.KuboClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;

/**
 * Job artefacts (model specification, weights) on IPFS through the Kubo RPC API. Uploads are pinned;
 * reads are streamed and checked against their CID, so a misbehaving node cannot substitute content.
 */
@ApplicationScoped
public class ArtifactStore {

    private static final int CHUNK = 64 * 1024;

    private final KuboClient kubo;
    private final Vertx vertx;

    public ArtifactStore(MarketplaceConfig config, Vertx vertx) {
        this.kubo = new KuboClient(config.ipfs().apiUrl(), config.ipfs().timeout(), config.ipfs().timeout());
        this.vertx = vertx;
    }

    /** Adds and pins {@code content}; completes with its CID (CIDv0, as {@code ipfs add} gives by default). */
    public Uni<String> put(byte[] content) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                Cid cid = kubo.add(content);
                kubo.pin(cid);
                return cid.toString();
            } catch (IOException e) {
                throw DependencyUnavailableException.unreachable(Dependency.IPFS, e);
            }
        }));
    }

    /** Streams the content of {@code cid}, verified against the CID as it is read. */
    public Multi<Buffer> stream(String cid) {
        return Multi.createFrom().<Buffer>emitter(emitter -> {
            try (InputStream in = kubo.catVerified(Cid.parse(cid))) {
                byte[] chunk = new byte[CHUNK];
                int n;
                while ((n = in.readNBytes(chunk, 0, CHUNK)) > 0 && !emitter.isCancelled()) {
                    emitter.emit(Buffer.buffer(java.util.Arrays.copyOf(chunk, n)));
                }
                emitter.complete();
            } catch (IOException e) {
                emitter.fail(DependencyUnavailableException.unreachable(Dependency.IPFS, e));
            } catch (RuntimeException e) {
                emitter.fail(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** The IPFS node's version; fails with {@link DependencyUnavailableException} when it does not answer. */
    public Uni<String> version() {
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                return kubo.version();
            } catch (IOException e) {
                throw DependencyUnavailableException.unreachable(Dependency.IPFS, e);
            }
        }), false);
    }
}
