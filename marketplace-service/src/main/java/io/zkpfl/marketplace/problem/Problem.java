package io.zkpfl.marketplace.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}).
 *
 * @param type     a URI naming the kind of problem
 * @param title    a short, fixed summary of the kind of problem
 * @param status   the HTTP status
 * @param detail   what went wrong with this request, in words a client can act on
 * @param field    the offending request field as a JSON path, when one field is at fault
 * @param instance   the request path
 * @param dependency for a 503, the dependency that is unavailable ({@code postgresql}, {@code kafka},
 *                   {@code chain}, {@code ipfs})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field, String instance,
                      String dependency) {

    /** Media type of problem responses. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** A problem whose type URI is derived from its status. */
    public static Problem of(int status, String title, String detail, String field, String instance) {
        return new Problem("https://zkpfl.io/problems/" + status, title, status, detail, field, instance, null);
    }

    /** A 503: {@code dependency} did not answer in time or cannot be reached. */
    public static Problem dependencyUnavailable(String dependency, String detail, String instance) {
        return new Problem("https://zkpfl.io/problems/dependency-unavailable", "Dependency unavailable", 503, detail,
                null, instance, dependency);
    }
}
