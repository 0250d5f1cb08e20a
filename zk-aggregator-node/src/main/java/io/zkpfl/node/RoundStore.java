package io.zkpfl.node;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The node's round state in PostgreSQL (plain JDBC, docs/adr/0070-node-state-in-jdbc.md). Every write is
 * idempotent, so replaying chain logs or Kafka records after a crash changes nothing.
 */
@ApplicationScoped
public class RoundStore {

    /** One job this node serves, {@code k} its committee index. */
    public record JobRow(BigInteger jobId, int k) {
    }

    /** Trainer i's commitment as posted (RoundCommitted). */
    public record CommitmentRow(int trainer, String address, List<BigInteger> points, byte[] manifest, long samples) {
    }

    /** Another node's share complaint (ShareComplaint). */
    public record ComplaintRow(String trainer, String node, List<BigInteger> ephemeral, List<BigInteger> shared) {
    }

    private final DataSource ds;

    public RoundStore(DataSource ds) {
        this.ds = ds;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction. */
    public <T> T tx(Work<T> work) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                T out = work.run(c);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
    }

    private <T> T auto(Work<T> work) {
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int j = 0; j < args.length; j++) {
            Object a = args[j];
            ps.setObject(j + 1, a instanceof BigInteger b ? new BigDecimal(b) : a);
        }
    }

    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static <T> List<T> query(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        }
    }

    static BigInteger big(ResultSet rs, String column) throws SQLException {
        BigDecimal d = rs.getBigDecimal(column);
        return d == null ? null : d.toBigIntegerExact();
    }

    static String words(List<BigInteger> ws) {
        StringBuilder s = new StringBuilder();
        for (BigInteger w : ws) {
            if (!s.isEmpty()) {
                s.append(',');
            }
            s.append(w.toString(16));
        }
        return s.toString();
    }

    static List<BigInteger> words(String s) {
        List<BigInteger> out = new ArrayList<>();
        if (!s.isEmpty()) {
            for (String w : s.split(",")) {
                out.add(new BigInteger(w, 16));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ cursor and jobs

    public long nextBlock(long fallback) {
        return auto(c -> query(c, "SELECT next_block FROM cursor WHERE id = 1", rs -> rs.getLong(1))).stream()
                .findFirst().orElse(fallback);
    }

    static void setNextBlock(Connection c, long next) throws SQLException {
        update(c, "INSERT INTO cursor (id, next_block) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET next_block = ?",
                next, next);
    }

    static boolean follows(Connection c, BigInteger job) throws SQLException {
        return !query(c, "SELECT 1 FROM job WHERE job_id = ?", rs -> 1, job).isEmpty();
    }

    public List<JobRow> activeJobs() {
        return auto(c -> query(c, "SELECT job_id, k FROM job WHERE active ORDER BY job_id",
                rs -> new JobRow(big(rs, "job_id"), rs.getInt("k"))));
    }

    public List<JobRow> allJobs() {
        return auto(c -> query(c, "SELECT job_id, k FROM job ORDER BY job_id",
                rs -> new JobRow(big(rs, "job_id"), rs.getInt("k"))));
    }

    public void finishJob(BigInteger job) {
        tx(c -> {
            update(c, "UPDATE job SET active = FALSE WHERE job_id = ?", job);
            update(c, "UPDATE round_key SET secret = NULL WHERE job_id = ?", job);
            return null;
        });
    }

    // ------------------------------------------------------------------ round keys

    /** The secret of the round's key, if it exists and was not deleted. */
    public Optional<BigInteger> roundKeySecret(BigInteger job, int round) {
        return auto(c -> query(c, "SELECT secret FROM round_key WHERE job_id = ? AND round = ?",
                rs -> Optional.ofNullable(big(rs, "secret")), job, round)).stream().findFirst().orElse(Optional.empty());
    }

    public boolean hasRoundKey(BigInteger job, int round) {
        return auto(c -> !query(c, "SELECT 1 FROM round_key WHERE job_id = ? AND round = ?", rs -> 1, job, round)
                .isEmpty());
    }

    /** Stores a fresh key unless one exists (the first one stays: it may already be on chain). */
    public void insertRoundKey(BigInteger job, int round, BigInteger secret, BigInteger x, BigInteger y) {
        auto(c -> update(c, "INSERT INTO round_key (job_id, round, secret, pk_x, pk_y) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING", job, round, secret, x, y));
    }

    public List<BigInteger> roundKeyPublic(BigInteger job, int round) {
        return auto(c -> query(c, "SELECT pk_x, pk_y FROM round_key WHERE job_id = ? AND round = ?",
                rs -> List.of(big(rs, "pk_x"), big(rs, "pk_y")), job, round)).stream().findFirst().orElse(List.of());
    }

    /** Deletes the secrets of the job's rounds before {@code round} and, when {@code inclusive}, of {@code round}. */
    public int forgetRoundKeys(BigInteger job, int round, boolean inclusive) {
        return auto(c -> update(c, "UPDATE round_key SET secret = NULL WHERE job_id = ? AND secret IS NOT NULL AND "
                + (inclusive ? "round <= ?" : "round < ?"), job, round));
    }

    // ------------------------------------------------------------------ what the chain said

    public List<CommitmentRow> commitments(BigInteger job, int round, int attempt) {
        return auto(c -> query(c, "SELECT trainer, address, points, manifest, samples FROM commitment "
                        + "WHERE job_id = ? AND round = ? AND attempt = ? ORDER BY trainer",
                rs -> new CommitmentRow(rs.getInt("trainer"), rs.getString("address"), words(rs.getString("points")),
                        rs.getBytes("manifest"), rs.getLong("samples")), job, round, attempt));
    }

    public List<String> excluded(BigInteger job, int round, int attempt) {
        return auto(c -> query(c, "SELECT trainer_address FROM excluded WHERE job_id = ? AND round = ? AND attempt = ?",
                rs -> rs.getString(1), job, round, attempt));
    }

    public List<ComplaintRow> complaints(BigInteger job, int round, int attempt) {
        return auto(c -> query(c, "SELECT trainer_address, node_address, ephemeral, shared FROM complaint "
                        + "WHERE job_id = ? AND round = ? AND attempt = ?",
                rs -> new ComplaintRow(rs.getString(1), rs.getString(2), words(rs.getString(3)), words(rs.getString(4))),
                job, round, attempt));
    }

    /** CIDs (binary) of the reveals posted for the attempt, by node address. */
    public Map<String, byte[]> reveals(BigInteger job, int round, int attempt) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        auto(c -> query(c, "SELECT node_address, cid FROM reveal_seen WHERE job_id = ? AND round = ? AND attempt = ?",
                rs -> out.put(rs.getString(1), rs.getBytes(2)), job, round, attempt));
        return out;
    }

    // ------------------------------------------------------------------ intake

    /** Stores a manifest or envelope from Kafka; distinct copies under one key are all kept (the check picks). */
    public void received(String kind, BigInteger job, int round, int attempt, int trainer, byte[] body) {
        byte[] sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256").digest(body);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        auto(c -> update(c, "INSERT INTO received (kind, job_id, round, attempt, trainer, sha256, body) VALUES "
                + "(?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", kind, job, round, attempt, trainer, sha, body));
    }

    /** Every distinct copy received under the key, oldest first. */
    public List<byte[]> receivedBodies(String kind, BigInteger job, int round, int attempt, int trainer) {
        return auto(c -> query(c, "SELECT body FROM received WHERE kind = ? AND job_id = ? AND round = ? AND attempt = ? "
                + "AND trainer = ? ORDER BY received_at", rs -> rs.getBytes(1), kind, job, round, attempt, trainer));
    }

    /** Committee index k of this node in {@code job}, if it serves the job. */
    public Optional<Integer> committeeIndex(BigInteger job) {
        return auto(c -> query(c, "SELECT k FROM job WHERE job_id = ?", rs -> rs.getInt(1), job)).stream().findFirst();
    }

    // ------------------------------------------------------------------ verdicts and actions

    public Map<Integer, String> verdicts(BigInteger job, int round, int attempt) {
        Map<Integer, String> out = new LinkedHashMap<>();
        auto(c -> query(c, "SELECT trainer, verdict FROM share_verdict WHERE job_id = ? AND round = ? AND attempt = ?",
                rs -> out.put(rs.getInt(1), rs.getString(2)), job, round, attempt));
        return out;
    }

    public void verdict(BigInteger job, int round, int attempt, int trainer, String verdict) {
        auto(c -> update(c, "INSERT INTO share_verdict (job_id, round, attempt, trainer, verdict) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING", job, round, attempt, trainer, verdict));
    }

    /** The action's state: absent, {@code sending} (intent recorded), {@code done} or {@code failed}. */
    public Optional<String> actionState(BigInteger job, int round, int attempt, String action, String subject) {
        return auto(c -> query(c, "SELECT state FROM action WHERE job_id = ? AND round = ? AND attempt = ? AND action = ? "
                + "AND subject = ?", rs -> rs.getString(1), job, round, attempt, action, subject)).stream().findFirst();
    }

    public void action(BigInteger job, int round, int attempt, String action, String subject, String state,
                       String detail) {
        auto(c -> action(c, job, round, attempt, action, subject, state, detail));
    }

    static int action(Connection c, BigInteger job, int round, int attempt, String action, String subject, String state,
                      String detail) throws SQLException {
        return update(c, "INSERT INTO action (job_id, round, attempt, action, subject, state, detail) VALUES "
                + "(?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, round, attempt, action, subject) DO UPDATE SET "
                + "state = CASE WHEN action.state = 'done' THEN 'done' ELSE EXCLUDED.state END, "
                + "detail = COALESCE(EXCLUDED.detail, action.detail), updated_at = now()",
                job, round, attempt, action, subject, state, detail);
    }

    /** Whether this node complained or voted (on a complaint or an exclusion) in the attempt, or meant to. */
    public boolean hasDisputeAction(BigInteger job, int round, int attempt) {
        return auto(c -> !query(c, "SELECT 1 FROM action WHERE job_id = ? AND round = ? AND attempt = ? AND action IN "
                + "('complain', 'vote-complaint', 'vote-exclusion')", rs -> 1, job, round, attempt).isEmpty());
    }

    /** Every action of the job, newest first, for the status endpoint. */
    public List<Map<String, Object>> actions(BigInteger job) {
        return auto(c -> query(c, "SELECT round, attempt, action, subject, state, detail FROM action WHERE job_id = ? "
                + "ORDER BY updated_at DESC", rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("round", rs.getInt(1));
                    m.put("attempt", rs.getInt(2));
                    m.put("action", rs.getString(3));
                    m.put("subject", rs.getString(4));
                    m.put("state", rs.getString(5));
                    m.put("detail", rs.getString(6));
                    return m;
                }, job));
    }

    /** Whether the database answers (readiness). */
    public boolean ping() {
        return auto(c -> c.isValid(2));
    }
}
