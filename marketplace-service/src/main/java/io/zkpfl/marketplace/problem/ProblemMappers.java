package io.zkpfl.marketplace.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.zkpfl.marketplace.dependency.DependencyUnavailableException;
import io.zkpfl.protocol.model.ModelSpecException;
import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The service's one place that turns failures into {@code application/problem+json}. Clients never
 * see a stack trace; unexpected failures are logged with an id the response repeats.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** The message of the exception Quarkus' body reader fails a request with when it passes the limit. */
    private static final String BODY_TOO_LARGE = "Request too large";

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(Problem.of(e.status(), e.title(), e.getMessage(), e.field(), path(uri)));
    }

    @ServerExceptionMapper
    public Response unavailable(DependencyUnavailableException e, UriInfo uri) {
        return Response.fromResponse(respond(Problem.dependencyUnavailable(e.dependency().id(), e.getMessage(), path(uri))))
                .header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response modelSpec(ModelSpecException e, UriInfo uri) {
        return respond(Problem.of(400, "Invalid request", e.reason(), e.field(), path(uri)));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return respond(Problem.of(400, "Malformed JSON", e.getOriginalMessage(), "$", path(uri)));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) != null ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
        return respond(Problem.of(status, title, e.getMessage(), null, path(uri)));
    }

    /**
     * Quarkus' body reader stops a body sent without a length at {@code quarkus.http.limits.max-body-size},
     * answers 413 itself and closes the connection, then fails the request with this exception: a client's
     * error, not the service's, so it is not logged as one.
     */
    @ServerExceptionMapper
    public Response io(IOException e, UriInfo uri) {
        if (BODY_TOO_LARGE.equals(e.getMessage())) {
            return respond(Problem.of(413, "Body too large", "the request body exceeds the limit", null, path(uri)));
        }
        return unexpected(e, uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        String id = Long.toHexString(System.nanoTime());
        LOG.errorf(e, "unexpected failure %s on %s", id, path(uri));
        return respond(Problem.of(500, "Internal error", "the service failed to handle this request; reference " + id, null, path(uri)));
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }
}
