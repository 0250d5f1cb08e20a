package io.zkpfl.marketplace.dependency;

import java.time.Duration;

/**
 * A dependency did not answer within its deadline or could not be reached: the request may be retried
 * later. Turned into a 503 problem of type {@code dependency-unavailable} naming the dependency.
 */
public final class DependencyUnavailableException extends RuntimeException {

    private final Dependency dependency;

    public DependencyUnavailableException(Dependency dependency, String detail, Throwable cause) {
        super(detail, cause, false, false);
        this.dependency = dependency;
    }

    /** {@code dependency} did not answer within {@code deadline}. */
    public static DependencyUnavailableException timedOut(Dependency dependency, Duration deadline) {
        return new DependencyUnavailableException(dependency, dependency.label() + " did not answer within "
                + seconds(deadline) + "; retry later", null);
    }

    /** {@code dependency} could not be reached. */
    public static DependencyUnavailableException unreachable(Dependency dependency, Throwable cause) {
        return new DependencyUnavailableException(dependency, dependency.label() + " cannot be reached ("
                + rootMessage(cause) + "); retry later", cause);
    }

    public Dependency dependency() {
        return dependency;
    }

    static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
