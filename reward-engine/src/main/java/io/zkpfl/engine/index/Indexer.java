package io.zkpfl.engine.index;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.zkpfl.engine.chain.EngineChain;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Stores every JobMarket and StakingRegistry event in PostgreSQL (docs/audit-api.md, "The index"). It stays
 * {@code zkpfl.index.confirmations} blocks behind the head, resumes from its cursor after a restart (a batch is one
 * transaction: events, block hashes and cursor together, and events are keyed by block and log index, so a batch
 * delivered twice changes nothing), and on every pass checks the hash of the last block it indexed: when the chain
 * reorganised, it walks back to the highest stored block whose hash still holds, deletes everything above that
 * fork point and indexes again from there.
 */
@ApplicationScoped
public class Indexer {

    private static final Logger LOG = Logger.getLogger(Indexer.class);
    private static final String[] ACCOUNT_ARGS = {"account", "trainer", "node", "offender", "owner"};

    private final EngineChain chain;
    private final DataSource db;
    private final AbiEvents abi;
    private final int confirmations;
    private final int batchBlocks;
    private final long startBlock;
    private final boolean enabled;
    private final int batchesPerPass;
    private final Counter indexed;
    private final Counter reorgs;
    private final AtomicLong lag = new AtomicLong();

    public Indexer(EngineChain chain, DataSource db, MeterRegistry metrics,
                   @ConfigProperty(name = "zkpfl.index.confirmations") int confirmations,
                   @ConfigProperty(name = "zkpfl.index.batch-blocks") int batchBlocks,
                   @ConfigProperty(name = "zkpfl.index.start-block", defaultValue = "0") long startBlock,
                   @ConfigProperty(name = "zkpfl.index.enabled", defaultValue = "true") boolean enabled,
                   @ConfigProperty(name = "zkpfl.index.batches-per-pass", defaultValue = "1000") int batchesPerPass) {
        this.batchesPerPass = batchesPerPass;
        this.chain = chain;
        this.db = db;
        this.confirmations = confirmations;
        this.batchBlocks = batchBlocks;
        this.startBlock = startBlock;
        this.enabled = enabled;
        Map<String, String> contracts = new LinkedHashMap<>();
        contracts.put("JobMarket", chain.addresses().market());
        contracts.put("StakingRegistry", chain.addresses().registry());
        this.abi = new AbiEvents(contracts);
        this.indexed = metrics.counter("zkpfl_index_events_total");
        this.reorgs = metrics.counter("zkpfl_index_reorgs_total");
        metrics.gauge("zkpfl_index_lag_blocks", lag);
    }

    @Scheduled(every = "${zkpfl.index.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "1s")
    void poll() {
        if (!enabled) {
            return;
        }
        try {
            for (int i = 0; i < batchesPerPass && step(); i++) {
                // catch up batch by batch
            }
        } catch (RuntimeException e) {
            LOG.warnf("indexing paused until the next pass: %s", e.getMessage());
        }
    }

    /** One batch; true when more confirmed blocks are waiting. */
    public synchronized boolean step() {
        long head = chain.head();
        long target = head - confirmations;
        checkReorg();
        long from = cursor();
        lag.set(Math.max(0, head - from + 1));
        if (from > target) {
            return false;
        }
        long to = Math.min(target, from + batchBlocks - 1);
        String toHash = chain.blockHash(to).orElseThrow(() -> new IllegalStateException("block " + to + " vanished"));
        List<Log> logs = logs(from, to);
        if (!chain.blockHash(to).map(toHash::equals).orElse(false)) {
            LOG.infof("block %d changed while indexing it; retrying", to);
            return true;
        }
        store(logs, to, toHash);
        return to < target;
    }

    private List<Log> logs(long from, long to) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
                List.of(chain.addresses().market(), chain.addresses().registry()));
        try {
            EthLog response = chain.web3j().ethGetLogs(filter).send();
            if (response.hasError()) {
                throw new IllegalStateException("eth_getLogs " + from + ".." + to + " failed: " + response.getError().getMessage());
            }
            List<Log> out = new ArrayList<>();
            for (EthLog.LogResult<?> r : response.getLogs()) {
                Log log = (Log) r.get();
                if (!Boolean.TRUE.equals(log.isRemoved())) {
                    out.add(log);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("eth_getLogs failed", e);
        }
    }

    private void store(List<Log> logs, long to, String toHash) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            int stored = 0;
            try (PreparedStatement ev = c.prepareStatement("""
                    insert into chain_event (block_number, log_index, block_hash, tx_hash, contract, name, job_id, round,
                        attempt, account, args) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                    on conflict (block_number, log_index) do nothing""");
                 PreparedStatement blk = c.prepareStatement("""
                    insert into indexed_block (number, hash) values (?, ?)
                    on conflict (number) do update set hash = excluded.hash""")) {
                Map<Long, String> blocks = new LinkedHashMap<>();
                for (Log log : logs) {
                    Optional<AbiEvents.Decoded> d = abi.decode(log);
                    if (d.isEmpty()) {
                        continue;
                    }
                    var args = d.get().args();
                    ev.setLong(1, log.getBlockNumber().longValue());
                    ev.setInt(2, log.getLogIndex().intValue());
                    ev.setString(3, log.getBlockHash());
                    ev.setString(4, log.getTransactionHash());
                    ev.setString(5, d.get().contract());
                    ev.setString(6, d.get().name());
                    if (args.has("jobId")) {
                        ev.setBigDecimal(7, new java.math.BigDecimal(new BigInteger(args.get("jobId").asText())));
                    } else {
                        ev.setNull(7, Types.NUMERIC);
                    }
                    setInt(ev, 8, args.has("round") ? args.get("round").asInt() : null);
                    setInt(ev, 9, args.has("attempt") ? args.get("attempt").asInt() : null);
                    String account = null;
                    for (String a : ACCOUNT_ARGS) {
                        if (args.has(a)) {
                            account = args.get(a).asText();
                            break;
                        }
                    }
                    ev.setString(10, account);
                    ev.setString(11, args.toString());
                    ev.addBatch();
                    blocks.put(log.getBlockNumber().longValue(), log.getBlockHash());
                    stored++;
                }
                blocks.put(to, toHash);
                for (var b : blocks.entrySet()) {
                    blk.setLong(1, b.getKey());
                    blk.setString(2, b.getValue());
                    blk.addBatch();
                }
                ev.executeBatch();
                blk.executeBatch();
                setCursor(c, to + 1);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            indexed.increment(stored);
            if (stored > 0) {
                LOG.debugf("indexed %d events up to block %d", stored, to);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing events failed: " + e.getMessage(), e);
        }
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    /** The next block to index. */
    public long cursor() {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select next_block from index_cursor where id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : startBlock;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the index cursor failed: " + e.getMessage(), e);
        }
    }

    private static void setCursor(Connection c, long next) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into index_cursor (id, next_block) values (1, ?)
                on conflict (id) do update set next_block = excluded.next_block""")) {
            ps.setLong(1, next);
            ps.executeUpdate();
        }
    }

    /** When the last indexed block's hash no longer holds, deletes everything above the fork point. */
    private void checkReorg() {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            Long fork = null;
            boolean mismatch = false;
            try (PreparedStatement ps = c.prepareStatement("select number, hash from indexed_block order by number desc");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(1);
                    String h = rs.getString(2);
                    if (chain.blockHash(n).map(h::equalsIgnoreCase).orElse(false)) {
                        fork = n;
                        break;
                    }
                    mismatch = true;
                }
            }
            if (!mismatch) {
                c.rollback();
                return;
            }
            long keep = fork == null ? startBlock - 1 : fork;
            int removed;
            try (PreparedStatement del = c.prepareStatement("delete from chain_event where block_number > ?");
                 PreparedStatement delb = c.prepareStatement("delete from indexed_block where number > ?")) {
                del.setLong(1, keep);
                removed = del.executeUpdate();
                delb.setLong(1, keep);
                delb.executeUpdate();
            }
            setCursor(c, keep + 1);
            c.commit();
            reorgs.increment();
            LOG.warnf("chain reorganised above block %d: removed %d indexed events, indexing again from block %d",
                    keep, removed, keep + 1);
        } catch (SQLException e) {
            throw new IllegalStateException("checking for a reorganisation failed: " + e.getMessage(), e);
        }
    }
}
