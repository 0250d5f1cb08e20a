package io.zkpfl.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Reads of the event index, each in chain order and keyed by {@code (block, log index)} for cursors. */
@ApplicationScoped
public class EventQueries {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One indexed event. */
    public record Row(long block, int logIndex, String tx, String contract, String name, BigInteger job, Integer round,
                      Integer attempt, String account, JsonNode args) {

        public String cursor() {
            return block + "-" + logIndex;
        }
    }

    /** A position in chain order: strictly after block {@code block}, log {@code logIndex}. */
    public record Cursor(long block, int logIndex) {

        public static final Cursor START = new Cursor(-1, -1);

        public static Cursor parse(String text) {
            if (text == null || text.isBlank()) {
                return START;
            }
            String[] parts = text.split("-");
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                return new Cursor(Long.parseLong(parts[0]), Integer.parseInt(parts[1]));
            } catch (NumberFormatException e) {
                throw new ProblemException(400, "Bad Request", "after must be a cursor BLOCK-LOGINDEX as returned in next, got '"
                        + text + "'");
            }
        }
    }

    private final DataSource db;

    public EventQueries(DataSource db) {
        this.db = db;
    }

    /**
     * Events matching the given filters (null: any) after {@code after}, at most {@code limit}.
     */
    public List<Row> events(BigInteger job, String account, List<String> names, Integer round, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("select block_number, log_index, tx_hash, contract, name, job_id, round, "
                + "attempt, account, args from chain_event where (block_number, log_index) > (?, ?)");
        List<Object> params = new ArrayList<>();
        params.add(after.block());
        params.add(after.logIndex());
        if (job != null) {
            sql.append(" and job_id = ?");
            params.add(new BigDecimal(job));
        }
        if (account != null) {
            sql.append(" and account = ?");
            params.add(account);
        }
        if (names != null && !names.isEmpty()) {
            sql.append(" and name in (").append(String.join(",", names.stream().map(n -> "?").toList())).append(")");
            params.addAll(names);
        }
        if (round != null) {
            sql.append(" and round = ?");
            params.add(round);
        }
        sql.append(" order by block_number, log_index limit ?");
        params.add(limit);
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Row> out = new ArrayList<>();
                while (rs.next()) {
                    BigDecimal j = rs.getBigDecimal(6);
                    out.add(new Row(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            j == null ? null : j.toBigIntegerExact(), (Integer) rs.getObject(7), (Integer) rs.getObject(8),
                            rs.getString(9), JSON.readTree(rs.getString(10))));
                }
                return out;
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("reading the index failed: " + e.getMessage(), e);
        }
    }

    /**
     * Every event of {@code job} in rounds {@code (afterRound, lastRound]}, round by round and in chain order within a
     * round: one query for a page, ordered as the {@code (job, round, block, log)} index so only the window is read.
     */
    public List<Row> roundEvents(BigInteger job, int afterRound, int lastRound) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select block_number, log_index, tx_hash, contract, name, job_id, round, attempt, account, args "
                        + "from chain_event where job_id = ? and round > ? and round <= ? order by round, block_number, log_index")) {
            ps.setBigDecimal(1, new BigDecimal(job));
            ps.setInt(2, afterRound);
            ps.setInt(3, lastRound);
            try (ResultSet rs = ps.executeQuery()) {
                List<Row> out = new ArrayList<>();
                while (rs.next()) {
                    BigDecimal j = rs.getBigDecimal(6);
                    out.add(new Row(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            j == null ? null : j.toBigIntegerExact(), (Integer) rs.getObject(7), (Integer) rs.getObject(8),
                            rs.getString(9), JSON.readTree(rs.getString(10))));
                }
                return out;
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("reading the index failed: " + e.getMessage(), e);
        }
    }

    /** An account's totals by event name ({@code RewardCredited}, {@code Claimed}, {@code Slashed}): count and sum. */
    public java.util.Map<String, Object[]> accountTotals(String account) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select name, count(*), coalesce(sum((args->>'amount')::numeric), 0) from chain_event "
                        + "where account = ? and name in ('RewardCredited', 'Claimed', 'Slashed') group by name")) {
            ps.setString(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                java.util.Map<String, Object[]> out = new java.util.HashMap<>();
                while (rs.next()) {
                    out.put(rs.getString(1), new Object[] {rs.getLong(2), rs.getBigDecimal(3).toBigIntegerExact()});
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the index failed: " + e.getMessage(), e);
        }
    }

    /** Rounds of {@code job} that have events, ascending, after {@code afterRound}, at most {@code limit}. */
    /**
     * A node's key for a round comes with its reveal of the round before (docs/adr/0113-round-storage.md): it
     * announces that round, it does not make one, so it alone never lists a round.
     */
    private static final String NOT_A_KEY = " and name <> 'RoundKeyPosted'";

    public List<Integer> rounds(BigInteger job, int afterRound, int limit) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select distinct round from chain_event where job_id = ? and round > ? and round <= ?" + NOT_A_KEY
                        + " order by round")) {
            // rounds are numbered 0, 1, … on chain, so a page of n rounds is a window of n round numbers
            ps.setBigDecimal(1, new BigDecimal(job));
            ps.setInt(2, afterRound);
            ps.setLong(3, (long) afterRound + limit);
            try (ResultSet rs = ps.executeQuery()) {
                List<Integer> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the index failed: " + e.getMessage(), e);
        }
    }

    /** Whether {@code job} has events in a round after {@code round}. */
    public boolean hasRoundAfter(BigInteger job, long round) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select 1 from chain_event where job_id = ? and round > ?" + NOT_A_KEY + " limit 1")) {
            ps.setBigDecimal(1, new BigDecimal(job));
            ps.setLong(2, round);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the index failed: " + e.getMessage(), e);
        }
    }

    /** The events of one transaction. */
    public List<Row> transaction(String tx) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select block_number, log_index, tx_hash, contract, name, job_id, round, attempt, account, args "
                        + "from chain_event where tx_hash = ? order by log_index")) {
            ps.setString(1, tx);
            try (ResultSet rs = ps.executeQuery()) {
                List<Row> out = new ArrayList<>();
                while (rs.next()) {
                    BigDecimal j = rs.getBigDecimal(6);
                    out.add(new Row(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            j == null ? null : j.toBigIntegerExact(), (Integer) rs.getObject(7), (Integer) rs.getObject(8),
                            rs.getString(9), JSON.readTree(rs.getString(10))));
                }
                return out;
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("reading the index failed: " + e.getMessage(), e);
        }
    }

    /** {@code (count, next block)} of the index. */
    public long[] status() {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select (select count(*) from chain_event), coalesce((select next_block from index_cursor where id = 1), 0)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        } catch (SQLException e) {
            throw new IllegalStateException("reading the index failed: " + e.getMessage(), e);
        }
    }
}
