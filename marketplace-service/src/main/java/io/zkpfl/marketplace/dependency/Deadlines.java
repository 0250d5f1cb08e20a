package io.zkpfl.marketplace.dependency;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.zkpfl.marketplace.MarketplaceConfig;
import io.zkpfl.marketplace.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Bounds every call to a dependency by its deadline ({@code zkpfl.<dependency>.timeout}, 3 s by default) and
 * turns a call that times out or cannot reach the dependency into a {@link DependencyUnavailableException}
 * naming it. Failures that are the request's fault (a {@link ProblemException}, a constraint violation) pass
 * through unchanged.
 */
@ApplicationScoped
public class Deadlines {

    private final MarketplaceConfig config;

    public Deadlines(MarketplaceConfig config) {
        this.config = config;
    }

    /** The deadline of one call to {@code dependency}. */
    public Duration of(Dependency dependency) {
        return switch (dependency) {
            case POSTGRESQL -> config.db().timeout();
            case KAFKA -> config.kafka().timeout();
            case CHAIN -> config.chain().timeout();
            case IPFS -> config.ipfs().timeout();
            case AUDIT -> config.audit().timeout();
        };
    }

    /** {@code call} to {@code dependency}, failing with {@link DependencyUnavailableException} past its deadline. */
    public <T> Uni<T> bound(Dependency dependency, Uni<T> call) {
        Duration deadline = of(dependency);
        return Uni.createFrom().deferred(() -> {
            Uni<T> bounded = call.ifNoItem().after(deadline)
                    .failWith(() -> DependencyUnavailableException.timedOut(dependency, deadline));
            // the timeout fires on a timer thread: continue on the caller's Vert.x context, where reactive sessions live
            Context context = Vertx.currentContext();
            return context == null ? bounded : bounded.emitOn(task -> context.runOnContext(ignored -> task.run()));
        }).onFailure(e -> isUnavailability(dependency, e))
                .transform(e -> e instanceof DependencyUnavailableException d ? d
                        : DependencyUnavailableException.unreachable(dependency, e));
    }

    /** A call to PostgreSQL, bounded. */
    public <T> Uni<T> postgres(Uni<T> call) {
        return bound(Dependency.POSTGRESQL, call);
    }

    /**
     * Whether {@code failure} means that {@code dependency} is unavailable rather than that it refused the
     * request: a timeout, an I/O failure, a closed connection, or one of PostgreSQL's connection (08) and
     * operator intervention (57P) SQLSTATE classes.
     */
    static boolean isUnavailability(Dependency dependency, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProblemException) {
                return false;
            }
            if (t instanceof DependencyUnavailableException || t instanceof IOException
                    || t instanceof UncheckedIOException || t instanceof TimeoutException
                    || t instanceof io.smallrye.mutiny.TimeoutException
                    || t instanceof io.vertx.sqlclient.ClosedConnectionException) {
                return true;
            }
            if (t instanceof PgException pg && pg.getSqlState() != null) {
                String state = pg.getSqlState();
                return state.startsWith("08") || state.startsWith("57P");
            }
            if (dependency == Dependency.POSTGRESQL && t.getClass().getName().startsWith("io.vertx")
                    && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("connection")) {
                return true;
            }
        }
        return false;
    }
}
