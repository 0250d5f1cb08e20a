package io.zkpfl.marketplace.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Rejects a request whose declared body exceeds {@code quarkus.http.limits.max-body-size} before it is
 * read, with a 413 problem that states the limit (the HTTP layer's own 413 has no body).
 */
@ApplicationScoped
public class BodyLimitFilter {

    private final long limit;
    private final ObjectMapper json;

    public BodyLimitFilter(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit, ObjectMapper json) {
        this.limit = limit.asLongValue();
        this.json = json;
    }

    void install(@Observes Filters filters) {
        filters.register(rc -> {
            String declared = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null && declared.chars().allMatch(Character::isDigit) && declared.length() < 19 && Long.parseLong(declared) > limit) {
                Problem problem = Problem.of(413, "Body too large",
                        "the request body is " + declared + " bytes; the limit is " + limit + " bytes"
                                + " (send large weights as multipart, or ask the operator to raise quarkus.http.limits.max-body-size)",
                        null, rc.request().path());
                try {
                    rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                            .putHeader(HttpHeaders.CONNECTION, "close").end(json.writeValueAsString(problem));
                } catch (JsonProcessingException e) {
                    rc.fail(e);
                }
                return;
            }
            rc.next();
        }, 1000);
    }
}
