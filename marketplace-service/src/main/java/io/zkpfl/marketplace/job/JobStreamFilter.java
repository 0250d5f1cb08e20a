package io.zkpfl.marketplace.job;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Looks the job of a live stream ({@code GET /api/v1/jobs/{id}/events}) up before the stream starts: a server-sent
 * event response commits its status and headers at once, so a job that does not exist (404) or a PostgreSQL that does
 * not answer (503) must be found out here to be answered with a problem.
 */
public class JobStreamFilter {

    private static final Pattern EVENTS = Pattern.compile("/api/v1/jobs/(\\d{1,18})/events/?");

    private final JobProgress progress;

    public JobStreamFilter(JobProgress progress) {
        this.progress = progress;
    }

    @ServerRequestFilter
    public Uni<Void> jobOfStream(ContainerRequestContext request) {
        Matcher m = EVENTS.matcher(request.getUriInfo().getPath());
        if (!"GET".equals(request.getMethod()) || !m.matches()) {
            return Uni.createFrom().voidItem();
        }
        return progress.job(Long.parseLong(m.group(1))).replaceWithVoid();
    }
}
