package io.zkpfl.marketplace.problem;

/**
 * A request the service refuses, with everything a {@link Problem} needs. Thrown by resources and
 * services; turned into {@code application/problem+json} by {@link ProblemMappers}.
 */
public final class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final String field;

    public ProblemException(int status, String title, String detail, String field) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.field = field;
    }

    /** 400: the request is malformed or a field is invalid. */
    public static ProblemException invalid(String field, String detail) {
        return new ProblemException(400, "Invalid request", detail, field);
    }

    /** 401: the request's signature does not authorise it. */
    public static ProblemException unauthorised(String field, String detail) {
        return new ProblemException(401, "Signature rejected", detail, field);
    }

    /** 409: the request conflicts with a stored resource. */
    public static ProblemException conflict(String field, String detail) {
        return new ProblemException(409, "Conflict", detail, field);
    }

    /** 422: well-formed and authorised, but the chain would refuse it (detail: the decoded revert reason). */
    public static ProblemException rejectedByChain(String field, String detail) {
        return new ProblemException(422, "Rejected by the chain", detail, field);
    }

    /** 503: a component the request needs (e.g. the chain) cannot be reached; retry later. */
    public static ProblemException unavailable(String detail) {
        return new ProblemException(503, "Service unavailable", detail, null);
    }

    /** 404: no such resource. */
    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail, null);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }
}
