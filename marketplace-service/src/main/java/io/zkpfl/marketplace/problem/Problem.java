package io.zkpfl.marketplace.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;

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

    /** Base of the problem type URIs. */
    public static final String TYPE_BASE = "https://zkpfl.io/problems/";

    /**
     * A problem whose type names its kind, derived from the title: "Rejected by the chain" is
     * {@code https://zkpfl.io/problems/rejected-by-the-chain}.
     */
    public static Problem of(int status, String title, String detail, String field, String instance) {
        return new Problem(TYPE_BASE + kind(title), title, status, detail, field, instance, null);
    }

    static String kind(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    /** A 503: {@code dependency} did not answer in time or cannot be reached. */
    public static Problem dependencyUnavailable(String dependency, String detail, String instance) {
        return new Problem(TYPE_BASE + "dependency-unavailable", "Dependency unavailable", 503, detail,
                null, instance, dependency);
    }
}
