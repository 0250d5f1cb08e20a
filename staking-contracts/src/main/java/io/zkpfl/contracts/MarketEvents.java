package io.zkpfl.contracts;

import io.reactivex.Flowable;
import io.zkpfl.contracts.generated.JobMarket;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static io.zkpfl.contracts.ChainCalls.addressesOf;
import static io.zkpfl.contracts.ChainCalls.words;

/**
 * The one decoder of the job market's logs into {@link MarketEvent} records: ranges of blocks, one job's events of one
 * kind, a live subscription, and the jobs whose committee is still to be drawn. Logs of events without a record
 * (admin settings, claims) are skipped.
 */
public final class MarketEvents {

    private static final Map<String, Function<Log, MarketEvent>> BY_TOPIC = new HashMap<>();
    private static final Map<Class<? extends MarketEvent>, String> TOPIC_OF = new HashMap<>();

    private final ChainCalls c;
    private final MarketClient market;

    MarketEvents(ChainCalls c, MarketClient market) {
        this.c = c;
        this.market = market;
    }

    /** A decoded event with the transaction that emitted it. */
    public record Mined<E extends MarketEvent>(E event, String transactionHash) {
    }

    /** Market events mined in blocks {@code from..to} (inclusive). */
    public List<MarketEvent> events(long fromBlock, long toBlock) {
        List<MarketEvent> events = new ArrayList<>();
        for (Log log : logs(filter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock))))) {
            decode(log).ifPresent(events::add);
        }
        return events;
    }

    /**
     * The {@code type} events of job {@code jobId} ({@code null}: of every job) from block {@code fromBlock} to the
     * latest, in chain order.
     */
    public <E extends MarketEvent> List<E> events(Class<E> type, BigInteger jobId, long fromBlock) {
        return mined(type, jobId, fromBlock).stream().map(Mined::event).toList();
    }

    /** As {@link #events(Class, BigInteger, long)}, each with its transaction hash. */
    public <E extends MarketEvent> List<Mined<E>> mined(Class<E> type, BigInteger jobId, long fromBlock) {
        EthFilter filter = filter(DefaultBlockParameter.valueOf(BigInteger.valueOf(Math.max(0, fromBlock))),
                DefaultBlockParameterName.LATEST);
        filter.addSingleTopic(topic(type));
        if (jobId != null) {
            filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(jobId, 64));
        }
        List<Mined<E>> out = new ArrayList<>();
        for (Log log : logs(filter)) {
            decode(log).ifPresent(e -> out.add(new Mined<>(type.cast(e), log.getTransactionHash())));
        }
        return out;
    }

    /** Market events from now on, as they are mined. */
    public Flowable<MarketEvent> subscribe() {
        return c.web3j().ethLogFlowable(filter(DefaultBlockParameterName.LATEST, DefaultBlockParameterName.LATEST))
                .map(MarketEvents::decode).filter(Optional::isPresent).map(Optional::get);
    }

    /** A job created in {@code createdBlock} whose committee is still to be drawn over {@code pool} and {@code weights}. */
    public record PendingDraw(BigInteger jobId, long createdBlock, List<String> pool, List<BigInteger> weights) {
    }

    /** The jobs created in blocks {@code from..to} (inclusive) that are active and have no committee yet. */
    public List<PendingDraw> pendingDraws(long fromBlock, long toBlock) {
        EthFilter filter = filter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)));
        filter.addSingleTopic(topic(MarketEvent.DrawPending.class));
        List<PendingDraw> pending = new ArrayList<>();
        for (Log log : logs(filter)) {
            var e = (MarketEvent.DrawPending) decode(log).orElseThrow();
            JobState state = market.job(e.jobId());
            if (state.status() == JobState.Status.ACTIVE && state.committee().isEmpty()) {
                pending.add(new PendingDraw(e.jobId(), e.block(), e.pool(), e.weights()));
            }
        }
        return pending;
    }

    /** The keccak topic of the market event {@code type}. */
    public static String topic(Class<? extends MarketEvent> type) {
        String topic = TOPIC_OF.get(type);
        if (topic == null) {
            throw new IllegalArgumentException("no market event " + type.getSimpleName());
        }
        return topic;
    }

    /** The market event {@code log} holds, or empty for a log of another event or contract. */
    public static Optional<MarketEvent> decode(Log log) {
        if (log.getTopics() == null || log.getTopics().isEmpty()) {
            return Optional.empty();
        }
        Function<Log, MarketEvent> decoder = BY_TOPIC.get(log.getTopics().getFirst());
        return decoder == null ? Optional.empty() : Optional.of(decoder.apply(log));
    }

    /** The {@code type} events among the logs of {@code receipt}, in log order. */
    public static <E extends MarketEvent> List<E> decode(TransactionReceipt receipt, Class<E> type) {
        List<E> out = new ArrayList<>();
        for (Log log : receipt.getLogs()) {
            decode(log).filter(type::isInstance).map(type::cast).ifPresent(out::add);
        }
        return out;
    }

    private EthFilter filter(DefaultBlockParameter from, DefaultBlockParameter to) {
        return new EthFilter(from, to, c.addresses().market());
    }

    private List<Log> logs(EthFilter filter) {
        try {
            EthLog logs = c.web3j().ethGetLogs(filter).send();
            if (logs.hasError()) {
                throw new IllegalStateException("eth_getLogs failed: " + logs.getError().getMessage());
            }
            List<Log> out = new ArrayList<>();
            for (EthLog.LogResult<?> r : logs.getLogs()) {
                out.add((Log) r.get());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("eth_getLogs failed", e);
        }
    }

    private static <E extends MarketEvent> void on(Event event, Class<E> type, Function<Log, E> decoder) {
        String topic = EventEncoder.encode(event);
        BY_TOPIC.put(topic, decoder::apply);
        TOPIC_OF.put(type, topic);
    }

    private static long block(Log log) {
        return log.getBlockNumber().longValueExact();
    }

    private static int i(BigInteger v) {
        return v.intValueExact();
    }

    private static String bytes32Text(byte[] word) {
        int end = 0;
        while (end < word.length && word[end] != 0) {
            end++;
        }
        return new String(Arrays.copyOf(word, end), StandardCharsets.US_ASCII);
    }

    static {
        on(JobMarket.JOBCREATED_EVENT, MarketEvent.JobCreated.class, log -> {
            var e = JobMarket.getJobCreatedEventFromLog(log);
            return new MarketEvent.JobCreated(e.jobId, block(log), e.owner, e.feeToken, e.escrowed);
        });
        on(JobMarket.ATTEMPTOPENED_EVENT, MarketEvent.AttemptOpened.class, log -> {
            var e = JobMarket.getAttemptOpenedEventFromLog(log);
            return new MarketEvent.AttemptOpened(e.jobId, block(log), i(e.round), i(e.attempt), e.commitDeadline.longValue());
        });
        on(JobMarket.ROUNDCERTIFIED_EVENT, MarketEvent.RoundCertified.class, log -> {
            var e = JobMarket.getRoundCertifiedEventFromLog(log);
            return new MarketEvent.RoundCertified(e.jobId, block(log), i(e.round), i(e.attempt));
        });
        on(JobMarket.ROUNDAGGREGATED_EVENT, MarketEvent.RoundAggregated.class, log -> {
            var e = JobMarket.getRoundAggregatedEventFromLog(log);
            return new MarketEvent.RoundAggregated(e.jobId, block(log), i(e.round), i(e.attempt), e.resultX, e.resultY,
                    e.sampleSum.longValue(), e.model);
        });
        on(JobMarket.ROUNDSKIPPED_EVENT, MarketEvent.RoundSkipped.class, log -> {
            var e = JobMarket.getRoundSkippedEventFromLog(log);
            return new MarketEvent.RoundSkipped(e.jobId, block(log), i(e.round), i(e.attempt), i(e.reveals));
        });
        on(JobMarket.ATTEMPTFAILED_EVENT, MarketEvent.AttemptFailed.class, log -> {
            var e = JobMarket.getAttemptFailedEventFromLog(log);
            return new MarketEvent.AttemptFailed(e.jobId, block(log), i(e.round), i(e.attempt), bytes32Text(e.reason));
        });
        on(JobMarket.FAULTPROVEN_EVENT, MarketEvent.FaultProven.class, log -> {
            var e = JobMarket.getFaultProvenEventFromLog(log);
            return new MarketEvent.FaultProven(e.jobId, block(log), i(e.round), i(e.attempt), e.offender,
                    bytes32Text(e.fault));
        });
        on(JobMarket.ROUNDPAID_EVENT, MarketEvent.RoundPaid.class, log -> {
            var e = JobMarket.getRoundPaidEventFromLog(log);
            return new MarketEvent.RoundPaid(e.jobId, block(log), i(e.round), i(e.accuracy), e.paid, e.model, e.pool);
        });
        on(JobMarket.JOBFINISHED_EVENT, MarketEvent.JobFinished.class, log -> {
            var e = JobMarket.getJobFinishedEventFromLog(log);
            return new MarketEvent.JobFinished(e.jobId, block(log), JobState.Status.of(i(e.status)), e.refunded);
        });
        on(JobMarket.EVALUATORTIMEDOUT_EVENT, MarketEvent.EvaluatorTimedOut.class, log -> {
            var e = JobMarket.getEvaluatorTimedOutEventFromLog(log);
            return new MarketEvent.EvaluatorTimedOut(e.jobId, block(log), i(e.round), e.resultDeadline.longValue());
        });
        // the evaluation terms
        on(JobMarket.CREATIONFEECHARGED_EVENT, MarketEvent.CreationFeeCharged.class, log -> {
            var e = JobMarket.getCreationFeeChargedEventFromLog(log);
            return new MarketEvent.CreationFeeCharged(e.jobId, block(log), e.treasury, e.amount);
        });
        on(JobMarket.BONDESCROWED_EVENT, MarketEvent.BondEscrowed.class, log -> {
            var e = JobMarket.getBondEscrowedEventFromLog(log);
            return new MarketEvent.BondEscrowed(e.jobId, block(log), e.owner, e.amount);
        });
        on(JobMarket.GROUPACCURACIES_EVENT, MarketEvent.GroupAccuracies.class, log -> {
            var e = JobMarket.getGroupAccuraciesEventFromLog(log);
            return new MarketEvent.GroupAccuracies(e.jobId, block(log), i(e.round),
                    words(e.ppm).stream().map(BigInteger::intValueExact).toList());
        });
        on(JobMarket.VALIDATIONDISCLOSED_EVENT, MarketEvent.ValidationDisclosed.class, log -> {
            var e = JobMarket.getValidationDisclosedEventFromLog(log);
            return new MarketEvent.ValidationDisclosed(e.jobId, block(log), Numeric.toHexString(e.bundleHash),
                    Numeric.toHexString(e.contentKey), Numeric.toHexString(e.cid));
        });
        on(JobMarket.DISPUTEVOTED_EVENT, MarketEvent.DisputeVoted.class, log -> {
            var e = JobMarket.getDisputeVotedEventFromLog(log);
            return new MarketEvent.DisputeVoted(e.jobId, block(log), i(e.round), e.node);
        });
        on(JobMarket.EVALUATIONDISPUTED_EVENT, MarketEvent.EvaluationDisputed.class, log -> {
            var e = JobMarket.getEvaluationDisputedEventFromLog(log);
            return new MarketEvent.EvaluationDisputed(e.jobId, block(log), i(e.round), i(e.votes));
        });
        on(JobMarket.BONDSLASHED_EVENT, MarketEvent.BondSlashed.class, log -> {
            var e = JobMarket.getBondSlashedEventFromLog(log);
            return new MarketEvent.BondSlashed(e.jobId, block(log), bytes32Text(e.reason), e.amount,
                    addressesOf(e.recipients));
        });
        on(JobMarket.BONDRELEASED_EVENT, MarketEvent.BondReleased.class, log -> {
            var e = JobMarket.getBondReleasedEventFromLog(log);
            return new MarketEvent.BondReleased(e.jobId, block(log), e.owner, e.amount);
        });
        // the round's steps
        on(JobMarket.DRAWPENDING_EVENT, MarketEvent.DrawPending.class, log -> {
            var e = JobMarket.getDrawPendingEventFromLog(log);
            return new MarketEvent.DrawPending(e.jobId, block(log), e.drawBlock.longValueExact(), addressesOf(e.pool),
                    words(e.weights));
        });
        on(JobMarket.DRAWDEFERRED_EVENT, MarketEvent.DrawDeferred.class, log -> {
            var e = JobMarket.getDrawDeferredEventFromLog(log);
            return new MarketEvent.DrawDeferred(e.jobId, block(log), e.drawBlock.longValueExact());
        });
        on(JobMarket.COMMITTEEDRAWN_EVENT, MarketEvent.CommitteeDrawn.class, log -> {
            var e = JobMarket.getCommitteeDrawnEventFromLog(log);
            return new MarketEvent.CommitteeDrawn(e.jobId, block(log), addressesOf(e.committee));
        });
        on(JobMarket.TRAINERJOINED_EVENT, MarketEvent.TrainerJoined.class, log -> {
            var e = JobMarket.getTrainerJoinedEventFromLog(log);
            return new MarketEvent.TrainerJoined(e.jobId, block(log), e.trainer, i(e.index));
        });
        on(JobMarket.COMMITSCLOSED_EVENT, MarketEvent.CommitsClosed.class, log -> {
            var e = JobMarket.getCommitsClosedEventFromLog(log);
            return new MarketEvent.CommitsClosed(e.jobId, block(log), i(e.round), i(e.attempt), e.commitDeadline.longValue(),
                    e.complaintDeadline.longValue(), e.openingDeadline.longValue(), e.revealDeadline.longValue());
        });
        on(JobMarket.ROUNDCOMMITTED_EVENT, MarketEvent.RoundCommitted.class, log -> {
            var e = JobMarket.getRoundCommittedEventFromLog(log);
            return new MarketEvent.RoundCommitted(e.jobId, block(log), i(e.round), i(e.attempt), e.trainer, i(e.index),
                    words(e.points), e.manifest, e.samples.longValue());
        });
        on(JobMarket.ROUNDKEYPOSTED_EVENT, MarketEvent.RoundKeyPosted.class, log -> {
            var e = JobMarket.getRoundKeyPostedEventFromLog(log);
            return new MarketEvent.RoundKeyPosted(e.jobId, block(log), i(e.round), e.node, i(e.k), e.x, e.y);
        });
        on(JobMarket.SHARECOMPLAINT_EVENT, MarketEvent.ShareComplaint.class, log -> {
            var e = JobMarket.getShareComplaintEventFromLog(log);
            return new MarketEvent.ShareComplaint(e.jobId, block(log), i(e.round), i(e.attempt), e.node, e.trainer,
                    words(e.ephemeral), words(e.shared));
        });
        on(JobMarket.COMPLAINTVOTED_EVENT, MarketEvent.ComplaintVoted.class, log -> {
            var e = JobMarket.getComplaintVotedEventFromLog(log);
            return new MarketEvent.ComplaintVoted(e.jobId, block(log), i(e.round), i(e.attempt), e.node, e.trainer,
                    e.upheld);
        });
        on(JobMarket.COMPLAINTRESOLVED_EVENT, MarketEvent.ComplaintResolved.class, log -> {
            var e = JobMarket.getComplaintResolvedEventFromLog(log);
            return new MarketEvent.ComplaintResolved(e.jobId, block(log), i(e.round), i(e.attempt), e.trainer, e.upheld);
        });
        on(JobMarket.EXCLUSIONVOTED_EVENT, MarketEvent.ExclusionVoted.class, log -> {
            var e = JobMarket.getExclusionVotedEventFromLog(log);
            return new MarketEvent.ExclusionVoted(e.jobId, block(log), i(e.round), i(e.attempt), e.node, e.trainer);
        });
        on(JobMarket.TRAINEREXCLUDED_EVENT, MarketEvent.TrainerExcluded.class, log -> {
            var e = JobMarket.getTrainerExcludedEventFromLog(log);
            return new MarketEvent.TrainerExcluded(e.jobId, block(log), i(e.round), i(e.attempt), e.trainer);
        });
        on(JobMarket.COMPLAINTSCLOSED_EVENT, MarketEvent.ComplaintsClosed.class, log -> {
            var e = JobMarket.getComplaintsClosedEventFromLog(log);
            return new MarketEvent.ComplaintsClosed(e.jobId, block(log), i(e.round), i(e.attempt),
                    e.complaintDeadline.longValue(), e.openingDeadline.longValue(), e.revealDeadline.longValue());
        });
        on(JobMarket.INCLUDEDSETFIXED_EVENT, MarketEvent.IncludedSetFixed.class, log -> {
            var e = JobMarket.getIncludedSetFixedEventFromLog(log);
            return new MarketEvent.IncludedSetFixed(e.jobId, block(log), i(e.round), i(e.attempt), addressesOf(e.included),
                    e.sampleSum.longValue());
        });
        on(JobMarket.OPENINGVERIFIED_EVENT, MarketEvent.OpeningVerified.class, log -> {
            var e = JobMarket.getOpeningVerifiedEventFromLog(log);
            return new MarketEvent.OpeningVerified(e.jobId, block(log), i(e.round), i(e.attempt), e.node, i(e.k), e.z, e.y);
        });
        on(JobMarket.PARTIALREVEALED_EVENT, MarketEvent.PartialRevealed.class, log -> {
            var e = JobMarket.getPartialRevealedEventFromLog(log);
            return new MarketEvent.PartialRevealed(e.jobId, block(log), i(e.round), i(e.attempt), e.node, e.cid);
        });
        on(JobMarket.RESULTOPENED_EVENT, MarketEvent.ResultOpened.class, log -> {
            var e = JobMarket.getResultOpenedEventFromLog(log);
            return new MarketEvent.ResultOpened(e.jobId, block(log), i(e.round), i(e.attempt), e.aggregateHash, e.z, e.y);
        });
        on(JobMarket.REWARDCREDITED_EVENT, MarketEvent.RewardCredited.class, log -> {
            var e = JobMarket.getRewardCreditedEventFromLog(log);
            return new MarketEvent.RewardCredited(e.jobId, block(log), i(e.round), e.account, e.amount);
        });
        on(JobMarket.RELEASED_EVENT, MarketEvent.Released.class, log -> {
            var e = JobMarket.getReleasedEventFromLog(log);
            return new MarketEvent.Released(e.jobId, block(log), e.account);
        });
    }
}
