package io.zkpfl.node;

import io.zkpfl.contracts.MarketEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads the market's logs from the stored cursor to the latest block and records, in the same transaction as the
 * new cursor, what concerns the jobs whose committee holds this node: the committee draw, trainers' commitments,
 * complaints, exclusions, reveals, and this node's own transactions (which marks them done: the reconciliation
 * after a crash between sending and recording).
 */
@ApplicationScoped
public class ChainFollower {

    private static final Logger LOG = Logger.getLogger(ChainFollower.class);
    private static final int MAX_RANGE = 2_000;

    private final Chain chain;
    private final RoundStore store;
    private final String me;
    private final long fromBlock;

    public ChainFollower(Chain chain, RoundStore store, OperatorIdentity identity,
                         @ConfigProperty(name = "zkpfl.chain.from-block") long fromBlock) {
        this.chain = chain;
        this.store = store;
        this.me = identity.address();
        this.fromBlock = fromBlock;
    }

    /** Catches up with the chain; returns the number of blocks read. */
    public long catchUp() {
        long read = 0;
        while (true) {
            long next = store.nextBlock(fromBlock);
            long latest = chain.blockNumber();
            if (latest < next) {
                return read;
            }
            long to = Math.min(latest, next + MAX_RANGE - 1);
            List<MarketEvent> events = chain.marketEvents(next, to);
            store.tx(c -> {
                for (MarketEvent event : events) {
                    apply(c, event);
                }
                RoundStore.setNextBlock(c, to + 1);
                return null;
            });
            read += to - next + 1;
        }
    }

    private void apply(Connection c, MarketEvent event) throws SQLException {
        switch (event) {
            case MarketEvent.CommitteeDrawn e -> {
                for (int j = 0; j < e.committee().size(); j++) {
                    if (e.committee().get(j).equalsIgnoreCase(me)) {
                        RoundStore.update(c, "INSERT INTO job (job_id, k) VALUES (?, ?) ON CONFLICT DO NOTHING", e.jobId(), j + 1);
                        LOG.infof("job %s: drawn into its committee as node k = %d", e.jobId(), j + 1);
                    }
                }
            }
            case MarketEvent.RoundCommitted e -> {
                if (RoundStore.follows(c, e.jobId())) {
                    RoundStore.update(c, "INSERT INTO commitment (job_id, round, attempt, trainer, address, points, manifest, "
                                    + "samples) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", e.jobId(),
                            e.round(), e.attempt(), e.index(), e.trainer().toLowerCase(),
                            RoundStore.words(e.points()), e.manifest(), e.samples());
                }
            }
            case MarketEvent.RoundKeyPosted e -> {
                if (e.node().equalsIgnoreCase(me)) {
                    RoundStore.action(c, e.jobId(), e.round(), -1, "round-key", "", "done", "block " + e.block());
                }
            }
            case MarketEvent.ShareComplaint e -> {
                if (e.node().equalsIgnoreCase(me)) {
                    mine(c, e.jobId(), e.round(), e.attempt(), "complain", e.trainer(), e.block());
                } else if (RoundStore.follows(c, e.jobId())) {
                    RoundStore.update(c, "INSERT INTO complaint (job_id, round, attempt, trainer_address, node_address, "
                                    + "ephemeral, shared) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", e.jobId(),
                            e.round(), e.attempt(), e.trainer().toLowerCase(), e.node().toLowerCase(),
                            RoundStore.words(e.ephemeral()), RoundStore.words(e.shared()));
                }
            }
            case MarketEvent.ComplaintVoted e -> {
                if (e.node().equalsIgnoreCase(me)) {
                    mine(c, e.jobId(), e.round(), e.attempt(), "vote-complaint", e.trainer(), e.block());
                }
            }
            case MarketEvent.ExclusionVoted e -> {
                if (e.node().equalsIgnoreCase(me)) {
                    mine(c, e.jobId(), e.round(), e.attempt(), "vote-exclusion", e.trainer(), e.block());
                }
            }
            case MarketEvent.TrainerExcluded e -> {
                if (RoundStore.follows(c, e.jobId())) {
                    RoundStore.update(c, "INSERT INTO excluded (job_id, round, attempt, trainer_address) VALUES (?, ?, ?, ?) "
                            + "ON CONFLICT DO NOTHING", e.jobId(), e.round(), e.attempt(), e.trainer().toLowerCase());
                    LOG.infof("job %s round %s attempt %s: trainer %s excluded", e.jobId(), e.round(), e.attempt(),
                            e.trainer());
                }
            }
            case MarketEvent.OpeningVerified e -> {
                if (e.node().equalsIgnoreCase(me)) {
                    mine(c, e.jobId(), e.round(), e.attempt(), "opening", "", e.block());
                }
            }
            case MarketEvent.PartialRevealed e -> {
                if (RoundStore.follows(c, e.jobId())) {
                    RoundStore.update(c, "INSERT INTO reveal_seen (job_id, round, attempt, node_address, cid) VALUES "
                            + "(?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", e.jobId(), e.round(), e.attempt(),
                            e.node().toLowerCase(), e.cid());
                }
                if (e.node().equalsIgnoreCase(me)) {
                    mine(c, e.jobId(), e.round(), e.attempt(), "reveal", "", e.block());
                }
            }
            default -> {
            }
        }
    }

    private static void mine(Connection c, BigInteger job, int round, int attempt, String action, String subject,
                             long block) throws SQLException {
        RoundStore.action(c, job, round, attempt, action, subject.toLowerCase(), "done", "block " + block);
    }
}
