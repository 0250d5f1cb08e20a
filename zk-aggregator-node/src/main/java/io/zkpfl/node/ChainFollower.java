package io.zkpfl.node;

import io.zkpfl.contracts.generated.JobMarket;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.methods.response.Log;

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

    private static final String COMMITTEE_DRAWN = EventEncoder.encode(JobMarket.COMMITTEEDRAWN_EVENT);
    private static final String ROUND_COMMITTED = EventEncoder.encode(JobMarket.ROUNDCOMMITTED_EVENT);
    private static final String ROUND_KEY_POSTED = EventEncoder.encode(JobMarket.ROUNDKEYPOSTED_EVENT);
    private static final String SHARE_COMPLAINT = EventEncoder.encode(JobMarket.SHARECOMPLAINT_EVENT);
    private static final String COMPLAINT_VOTED = EventEncoder.encode(JobMarket.COMPLAINTVOTED_EVENT);
    private static final String EXCLUSION_VOTED = EventEncoder.encode(JobMarket.EXCLUSIONVOTED_EVENT);
    private static final String TRAINER_EXCLUDED = EventEncoder.encode(JobMarket.TRAINEREXCLUDED_EVENT);
    private static final String OPENING_VERIFIED = EventEncoder.encode(JobMarket.OPENINGVERIFIED_EVENT);
    private static final String PARTIAL_REVEALED = EventEncoder.encode(JobMarket.PARTIALREVEALED_EVENT);

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
            List<Log> logs = chain.marketLogs(next, to);
            store.tx(c -> {
                for (Log log : logs) {
                    apply(c, log);
                }
                RoundStore.setNextBlock(c, to + 1);
                return null;
            });
            read += to - next + 1;
        }
    }

    private void apply(Connection c, Log log) throws SQLException {
        if (log.getTopics() == null || log.getTopics().isEmpty()) {
            return;
        }
        String topic = log.getTopics().getFirst();
        if (topic.equals(COMMITTEE_DRAWN)) {
            var e = JobMarket.getCommitteeDrawnEventFromLog(log);
            for (int j = 0; j < e.committee.size(); j++) {
                if (e.committee.get(j).equalsIgnoreCase(me)) {
                    RoundStore.update(c, "INSERT INTO job (job_id, k) VALUES (?, ?) ON CONFLICT DO NOTHING", e.jobId, j + 1);
                    LOG.infof("job %s: drawn into its committee as node k = %d", e.jobId, j + 1);
                }
            }
        } else if (topic.equals(ROUND_COMMITTED)) {
            var e = JobMarket.getRoundCommittedEventFromLog(log);
            if (RoundStore.follows(c, e.jobId)) {
                RoundStore.update(c, "INSERT INTO commitment (job_id, round, attempt, trainer, address, points, manifest, "
                                + "samples) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", e.jobId,
                        e.round.intValue(), e.attempt.intValue(), e.index.intValue(), e.trainer.toLowerCase(),
                        RoundStore.words(e.points), e.manifest, e.samples.longValue());
            }
        } else if (topic.equals(ROUND_KEY_POSTED)) {
            var e = JobMarket.getRoundKeyPostedEventFromLog(log);
            if (e.node.equalsIgnoreCase(me)) {
                RoundStore.action(c, e.jobId, e.round.intValue(), -1, "round-key", "", "done", "block " + block(log));
            }
        } else if (topic.equals(SHARE_COMPLAINT)) {
            var e = JobMarket.getShareComplaintEventFromLog(log);
            if (e.node.equalsIgnoreCase(me)) {
                mine(c, e.jobId, e.round, e.attempt, "complain", e.trainer, log);
            } else if (RoundStore.follows(c, e.jobId)) {
                RoundStore.update(c, "INSERT INTO complaint (job_id, round, attempt, trainer_address, node_address, "
                                + "ephemeral, shared) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", e.jobId,
                        e.round.intValue(), e.attempt.intValue(), e.trainer.toLowerCase(), e.node.toLowerCase(),
                        RoundStore.words(e.ephemeral), RoundStore.words(e.shared));
            }
        } else if (topic.equals(COMPLAINT_VOTED)) {
            var e = JobMarket.getComplaintVotedEventFromLog(log);
            if (e.node.equalsIgnoreCase(me)) {
                mine(c, e.jobId, e.round, e.attempt, "vote-complaint", e.trainer, log);
            }
        } else if (topic.equals(EXCLUSION_VOTED)) {
            var e = JobMarket.getExclusionVotedEventFromLog(log);
            if (e.node.equalsIgnoreCase(me)) {
                mine(c, e.jobId, e.round, e.attempt, "vote-exclusion", e.trainer, log);
            }
        } else if (topic.equals(TRAINER_EXCLUDED)) {
            var e = JobMarket.getTrainerExcludedEventFromLog(log);
            if (RoundStore.follows(c, e.jobId)) {
                RoundStore.update(c, "INSERT INTO excluded (job_id, round, attempt, trainer_address) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING", e.jobId, e.round.intValue(), e.attempt.intValue(), e.trainer.toLowerCase());
                LOG.infof("job %s round %s attempt %s: trainer %s excluded", e.jobId, e.round, e.attempt, e.trainer);
            }
        } else if (topic.equals(OPENING_VERIFIED)) {
            var e = JobMarket.getOpeningVerifiedEventFromLog(log);
            if (e.node.equalsIgnoreCase(me)) {
                mine(c, e.jobId, e.round, e.attempt, "opening", "", log);
            }
        } else if (topic.equals(PARTIAL_REVEALED)) {
            var e = JobMarket.getPartialRevealedEventFromLog(log);
            if (RoundStore.follows(c, e.jobId)) {
                RoundStore.update(c, "INSERT INTO reveal_seen (job_id, round, attempt, node_address, cid) VALUES "
                        + "(?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", e.jobId, e.round.intValue(), e.attempt.intValue(),
                        e.node.toLowerCase(), e.cid);
            }
            if (e.node.equalsIgnoreCase(me)) {
                mine(c, e.jobId, e.round, e.attempt, "reveal", "", log);
            }
        }
    }

    private static void mine(Connection c, BigInteger job, BigInteger round, BigInteger attempt, String action,
                             String subject, Log log) throws SQLException {
        RoundStore.action(c, job, round.intValue(), attempt.intValue(), action, subject.toLowerCase(), "done",
                "block " + block(log));
    }

    private static long block(Log log) {
        return log.getBlockNumber().longValue();
    }
}
