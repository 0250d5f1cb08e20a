package io.zkpfl.engine.round;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The evaluator's own state in PostgreSQL: which jobs it evaluates, their round-0 model and each round's result.
 * A round's row is written before any transaction that depends on it, so a restart between the reveal and the
 * result resumes from the stored {@code w'} instead of recomputing or double-posting.
 */
@ApplicationScoped
public class ModelStore {

    /** A job the engine has looked at. */
    public record JobRow(BigInteger job, boolean mine, String spec, byte[] initialWeights, String manifestCid,
                         String modelCid, String weightsCid, boolean finished, String validationCid,
                         String validationCommitment, int validationGroups, String validationError) {

        /** The job's own validation set from its manifest (docs/adr/0105), empty for the evaluator's default set. */
        public Optional<OwnerValidation> ownerValidation() {
            return validationCid == null ? Optional.empty()
                    : Optional.of(new OwnerValidation(validationCid, validationCommitment, validationGroups));
        }
    }

    /** The manifest's {@code validation} object: the sealed bundle's CID, the commitment and the group count. */
    public record OwnerValidation(String cid, String commitment, int groups) {
    }

    /** A round's result as this evaluator computed it. */
    public record RoundRow(BigInteger job, int round, int attempt, boolean aggregated, byte[] weights, String weightsHash,
                           String weightsCid, String usedNodes, String rejected, Integer accuracyPpm, String openTx,
                           String resultTx, String notified, String groupAccuracies) {

        /** The per-group accuracies in ppm, empty for a job without groups or a round not yet evaluated. */
        public List<Integer> groupAccuraciesPpm() {
            if (groupAccuracies == null || groupAccuracies.isBlank() || groupAccuracies.equals("[]")) {
                return List.of();
            }
            List<Integer> out = new ArrayList<>();
            for (String x : groupAccuracies.replace("[", "").replace("]", "").split(",")) {
                out.add(Integer.parseInt(x.strip()));
            }
            return List.copyOf(out);
        }
    }

    private final DataSource db;

    public ModelStore(DataSource db) {
        this.db = db;
    }

    public Optional<JobRow> job(BigInteger job) {
        return query("select job_id, mine, spec, initial_weights, manifest_cid, model_cid, weights_cid, finished, "
                + "validation_cid, validation_commitment, validation_groups, validation_error "
                + "from engine_job where job_id = ?", ps -> ps.setBigDecimal(1, new BigDecimal(job)), ModelStore::jobRow)
                .stream().findFirst();
    }

    public List<JobRow> activeJobs() {
        return query("select job_id, mine, spec, initial_weights, manifest_cid, model_cid, weights_cid, finished, "
                + "validation_cid, validation_commitment, validation_groups, validation_error "
                + "from engine_job where mine and not finished order by job_id", ps -> { }, ModelStore::jobRow);
    }

    public long knownJobs() {
        return query("select coalesce(max(job_id), 0) from engine_job", ps -> { }, rs -> rs.getLong(1)).getFirst();
    }

    public void recordJob(BigInteger job, boolean mine) {
        update("insert into engine_job (job_id, mine) values (?, ?) on conflict (job_id) do nothing", ps -> {
            ps.setBigDecimal(1, new BigDecimal(job));
            ps.setBoolean(2, mine);
        });
    }

    public void finish(BigInteger job) {
        update("update engine_job set finished = true where job_id = ?", ps -> ps.setBigDecimal(1, new BigDecimal(job)));
    }

    public void registerModel(BigInteger job, String spec, byte[] weights, String manifestCid, String modelCid,
                              String weightsCid) {
        update("update engine_job set spec = ?, initial_weights = ?, manifest_cid = ?, model_cid = ?, weights_cid = ? "
                + "where job_id = ?", ps -> {
                    ps.setString(1, spec);
                    ps.setBytes(2, weights);
                    ps.setString(3, manifestCid);
                    ps.setString(4, modelCid);
                    ps.setString(5, weightsCid);
                    ps.setBigDecimal(6, new BigDecimal(job));
                });
    }

    /** Records the job's own validation set as its manifest names it (docs/adr/0105). */
    public void registerValidation(BigInteger job, OwnerValidation v) {
        update("update engine_job set validation_cid = ?, validation_commitment = ?, validation_groups = ?, "
                + "validation_error = null where job_id = ?", ps -> {
                    ps.setString(1, v.cid());
                    ps.setString(2, v.commitment());
                    ps.setInt(3, v.groups());
                    ps.setBigDecimal(4, new BigDecimal(job));
                });
    }

    /** Records why the job's validation set is refused for good (its commitment does not match). */
    public void refuseValidation(BigInteger job, String reason) {
        update("update engine_job set validation_error = ? where job_id = ?", ps -> {
            ps.setString(1, reason);
            ps.setBigDecimal(2, new BigDecimal(job));
        });
    }

    public Optional<RoundRow> round(BigInteger job, int round) {
        return query("select job_id, round, attempt, aggregated, weights, weights_hash, weights_cid, used_nodes, rejected, "
                        + "accuracy_ppm, open_tx, result_tx, notified, group_accuracies from engine_round where job_id = ? and round = ?",
                ps -> {
                    ps.setBigDecimal(1, new BigDecimal(job));
                    ps.setInt(2, round);
                }, ModelStore::roundRow).stream().findFirst();
    }

    /** The result of the latest round before {@code round} whose aggregate the chain accepted, if any. */
    public Optional<RoundRow> latestAggregatedBefore(BigInteger job, int round) {
        return query("select job_id, round, attempt, aggregated, weights, weights_hash, weights_cid, used_nodes, rejected, "
                        + "accuracy_ppm, open_tx, result_tx, notified, group_accuracies from engine_round where job_id = ? and round < ? "
                        + "and aggregated order by round desc limit 1",
                ps -> {
                    ps.setBigDecimal(1, new BigDecimal(job));
                    ps.setInt(2, round);
                }, ModelStore::roundRow).stream().findFirst();
    }

    /** Every round of {@code job} this engine holds a result for, in order. */
    public List<RoundRow> rounds(BigInteger job) {
        return query("select job_id, round, attempt, aggregated, weights, weights_hash, weights_cid, used_nodes, rejected, "
                        + "accuracy_ppm, open_tx, result_tx, notified, group_accuracies from engine_round where job_id = ? order by round",
                ps -> ps.setBigDecimal(1, new BigDecimal(job)), ModelStore::roundRow);
    }

    public void saveAggregate(BigInteger job, int round, int attempt, byte[] weights, String weightsHash, String used,
                              String rejected) {
        update("""
                insert into engine_round (job_id, round, attempt, weights, weights_hash, used_nodes, rejected)
                values (?, ?, ?, ?, ?, ?, ?) on conflict (job_id, round) do nothing""", ps -> {
            ps.setBigDecimal(1, new BigDecimal(job));
            ps.setInt(2, round);
            ps.setInt(3, attempt);
            ps.setBytes(4, weights);
            ps.setString(5, weightsHash);
            ps.setString(6, used);
            ps.setString(7, rejected);
        });
    }

    public void set(BigInteger job, int round, String column, Object value) {
        if (!List.of("aggregated", "weights_cid", "accuracy_ppm", "open_tx", "result_tx", "notified",
                "group_accuracies").contains(column)) {
            throw new IllegalArgumentException(column);
        }
        update("update engine_round set " + column + " = ?, updated_at = now() where job_id = ? and round = ?", ps -> {
            ps.setObject(1, value);
            ps.setBigDecimal(2, new BigDecimal(job));
            ps.setInt(3, round);
        });
    }

    private static JobRow jobRow(ResultSet rs) throws SQLException {
        return new JobRow(rs.getBigDecimal(1).toBigIntegerExact(), rs.getBoolean(2), rs.getString(3), rs.getBytes(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getString(9), rs.getString(10),
                rs.getInt(11), rs.getString(12));
    }

    private static RoundRow roundRow(ResultSet rs) throws SQLException {
        return new RoundRow(rs.getBigDecimal(1).toBigIntegerExact(), rs.getInt(2), rs.getInt(3), rs.getBoolean(4),
                rs.getBytes(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                (Integer) rs.getObject(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14));
    }

    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Binder binder, Mapper<T> mapper) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database query failed: " + e.getMessage(), e);
        }
    }

    private void update(String sql, Binder binder) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("database update failed: " + e.getMessage(), e);
        }
    }
}
