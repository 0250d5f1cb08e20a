package io.zkpfl.marketplace.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.zkpfl.marketplace.MarketplaceConfig;
import io.zkpfl.marketplace.dependency.Deadlines;
import io.zkpfl.marketplace.dependency.Dependency;
import io.zkpfl.marketplace.dependency.DependencyUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reward engine's audit API (docs/audit-api.md) over HTTP: the marketplace reads rounds, participants and models
 * from the engine's index instead of indexing the chain a second time. Every call is bounded by
 * {@code zkpfl.audit.timeout}; an engine that is not configured, cannot be reached, misses the deadline or answers
 * with a server error fails the call with a {@link DependencyUnavailableException} naming {@code audit}.
 */
@ApplicationScoped
public class AuditClient {

    /** Largest page the audit API serves. */
    static final int PAGE = 500;

    private final MarketplaceConfig config;
    private final Deadlines deadlines;
    private final ObjectMapper json;
    private final HttpClient http;

    public AuditClient(MarketplaceConfig config, Deadlines deadlines, ObjectMapper json) {
        this.config = config;
        this.deadlines = deadlines;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.audit().timeout()).build();
    }

    /** Whether {@code zkpfl.audit.url} is set. */
    public boolean configured() {
        return config.audit().url().isPresent();
    }

    /** What a caller tells its client when no audit service is configured. */
    public static String notConfigured() {
        return "the audit service is not configured (zkpfl.audit.url): rounds, payments and models are not available";
    }

    /**
     * The audit API's view of chain job {@code job}: creation, committee, trainers, credited, refund and end; empty
     * while the index has not reached the job's creation.
     */
    public Uni<Optional<JsonNode>> job(BigInteger job) {
        return get("/api/v1/audit/jobs/" + job);
    }

    /** Every round of chain job {@code job} the index holds, in order (all pages). */
    public Uni<List<JsonNode>> rounds(BigInteger job) {
        return roundsAfter(job, null, new ArrayList<>());
    }

    private Uni<List<JsonNode>> roundsAfter(BigInteger job, String after, List<JsonNode> collected) {
        String path = "/api/v1/audit/jobs/" + job + "/rounds?limit=" + PAGE + (after == null ? "" : "&after=" + after);
        return get(path).chain(page -> {
            JsonNode body = page.orElseThrow(() -> new DependencyUnavailableException(Dependency.AUDIT,
                    "the audit service answered 404 for " + path, null));
            body.path("items").forEach(collected::add);
            JsonNode next = body.path("next");
            return next.isNull() || next.isMissingNode() || next.asText().isEmpty()
                    ? Uni.createFrom().item(collected) : roundsAfter(job, next.asText(), collected);
        });
    }

    /**
     * The engine's current (once the job is finished: final) model of chain job {@code job}: round, keccak-256, CID,
     * accuracy, result transaction; empty when the engine does not evaluate the job.
     */
    public Uni<Optional<JsonNode>> model(BigInteger job) {
        return get("/api/v1/jobs/" + job + "/model");
    }

    /** {@code GET path}: the JSON body of a 200, empty for a 404. */
    Uni<Optional<JsonNode>> get(String path) {
        Optional<URI> base = config.audit().url();
        if (base.isEmpty()) {
            return Uni.createFrom().failure(new DependencyUnavailableException(Dependency.AUDIT, notConfigured(), null));
        }
        URI uri = URI.create(base.get().toString().replaceAll("/+$", "") + path);
        // the deadline below answers the caller; the request's own timeout, later, only frees the connection
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.audit().timeout().multipliedBy(2))
                .header("Accept", "application/json").GET().build();
        Uni<Optional<JsonNode>> call = Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .map(response -> {
                    int status = response.statusCode();
                    if (status == 404) {
                        return Optional.empty();
                    }
                    if (status != 200) {
                        throw new DependencyUnavailableException(Dependency.AUDIT, "the audit service answered " + status
                                + " to GET " + path + "; retry later", null);
                    }
                    try {
                        return Optional.of(json.readTree(response.body()));
                    } catch (IOException e) {
                        throw new UncheckedIOException("the audit service answered GET " + path + " with no JSON", e);
                    }
                });
        return deadlines.bound(Dependency.AUDIT, call);
    }
}
