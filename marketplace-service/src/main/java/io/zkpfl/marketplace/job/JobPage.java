package io.zkpfl.marketplace.job;

import java.util.List;

/** One page of a job listing, newest first. */
public record JobPage(List<JobSummary> items, int page, int size, long total) {
}
