package io.zkpfl.marketplace.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One page of a job listing, newest first.
 *
 * @param next cursor for the following page ({@code ?after=next}), absent on the last page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobPage(List<JobSummary> items, int page, int size, long total, Long next) {

    static JobPage of(List<JobSummary> items, int page, int size, long total) {
        Long next = items.size() == size ? items.get(items.size() - 1).id() : null;
        return new JobPage(items, page, size, total, next);
    }
}
