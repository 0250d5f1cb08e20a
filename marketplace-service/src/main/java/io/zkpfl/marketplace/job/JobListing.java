package io.zkpfl.marketplace.job;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** SQL of the job listing: one statement per filter combination, so each is prepared once and uses its index. */
final class JobListing {

    private static final String COLUMNS =
            "id, status, owner, parameter_count, target_accuracy, max_rounds, fee_token, fee_amount, min_trainers, submission, chain_job_id, created_at";

    private JobListing() {
    }

    /** The statements and arguments of one listing request. */
    record Query(String where, List<Object> filters, int page, int size, Long after) {

        /**
         * A deferred join: the offset is walked on the (filter, id) index alone (an index-only scan), and only
         * the page's rows are read from the table, so deep pages cost about what the first page costs.
         */
        String pageSql() {
            int n = filters.size();
            String and = where.isEmpty() ? " WHERE " : where + " AND ";
            if (after != null) {
                return "SELECT " + COLUMNS + " FROM job" + and + "id < $" + (n + 2) + " ORDER BY id DESC LIMIT $" + (n + 1);
            }
            return "SELECT " + COLUMNS + " FROM job" + and + "id <= (SELECT id FROM job" + where
                    + " ORDER BY id DESC OFFSET $" + (n + 2) + " LIMIT 1) ORDER BY id DESC LIMIT $" + (n + 1);
        }

        /** Key of the filter, for the cached total. */
        String filterKey() {
            return where + filters;
        }

        String countSql() {
            return "SELECT count(*) FROM job" + where;
        }

        Tuple filterArgs() {
            return Tuple.from(filters);
        }

        Tuple pageArgs() {
            List<Object> args = new ArrayList<>(filters);
            args.add(size);
            args.add(after != null ? after : (long) page * size);
            return Tuple.from(args);
        }
    }

    static Query query(JobStatus status, String owner, int page, int size, Long after) {
        List<String> clauses = new ArrayList<>();
        List<Object> filters = new ArrayList<>();
        if (status != null) {
            filters.add(status.name());
            clauses.add("status = $" + filters.size());
        }
        if (owner != null) {
            filters.add(owner);
            clauses.add("owner = $" + filters.size());
        }
        return new Query(clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses), filters, page, size, after);
    }

    static List<JobSummary> summaries(RowSet<Row> rows) {
        List<JobSummary> items = new ArrayList<>(rows.size());
        for (Row row : rows) {
            items.add(new JobSummary(row.getLong(0), JobStatus.valueOf(row.getString(1)), row.getString(2), row.getLong(3),
                    row.getBigDecimal(4).stripTrailingZeros(), row.getInteger(5), row.getString(6),
                    row.getBigDecimal(7).toBigIntegerExact(), row.getInteger(8),
                    row.getString(9) == null ? null : Submission.valueOf(row.getString(9)),
                    row.getBigDecimal(10) == null ? null : row.getBigDecimal(10).toBigIntegerExact().toString(),
                    row.getOffsetDateTime(11)));
        }
        return items;
    }
}
