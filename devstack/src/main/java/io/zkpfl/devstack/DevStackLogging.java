package io.zkpfl.devstack;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the chatty third-party loggers of the embedded components (Kafka, the PostgreSQL launcher) down to
 * WARN. Effective where SLF4J is bound to {@code java.util.logging} (devstack's runnable jar) or to the
 * JBoss LogManager (Quarkus tests).
 */
public final class DevStackLogging {

    /** Held strongly: JUL forgets the level of a logger nobody references. */
    private static final List<Logger> QUIET = List.of(
            Logger.getLogger("kafka"),
            Logger.getLogger("org.apache.kafka"),
            Logger.getLogger("state.change.logger"),
            Logger.getLogger("io.zonky.test"));

    private DevStackLogging() {
    }

    /** Sets the listed loggers to WARNING. */
    public static void quiet() {
        QUIET.forEach(l -> l.setLevel(Level.WARNING));
    }
}
