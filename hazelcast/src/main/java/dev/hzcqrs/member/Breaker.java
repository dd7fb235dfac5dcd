package dev.hzcqrs.member;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.function.LongSupplier;

/**
 * Whether PostgreSQL is known to be unreachable. Open after a connection failure: every call then
 * fails at once instead of waiting out the pool's connection timeout, and a put answers its client
 * in milliseconds. Only a connection that works closes it again (the background probe of
 * {@link Database}, or any connection the pool makes). A failure of a statement on a working
 * connection (a constraint, a conflict) says nothing about reachability and leaves it as it is.
 */
final class Breaker {
    private static final long CLOSED = -1;

    private final LongSupplier clockMs;
    private volatile long openSinceMs = CLOSED;
    private volatile String reason = "";

    Breaker(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    boolean isOpen() {
        return openSinceMs != CLOSED;
    }

    /** Fails at once while open. */
    void check() throws SQLException {
        long since = openSinceMs;
        if (since != CLOSED) {
            throw new SQLTransientConnectionException(
                    "PostgreSQL is unreachable (circuit open for " + (clockMs.getAsLong() - since) + " ms: " + reason + ")", "08001");
        }
    }

    /** A call failed: opens when the failure was the connection's. Returns whether this call opened it. */
    synchronized boolean failed(SQLException failure) {
        if (!isConnectionFailure(failure) || isOpen()) {
            return false;
        }
        reason = String.valueOf(failure.getMessage());
        openSinceMs = clockMs.getAsLong();
        return true;
    }

    /** A connection worked. Returns how long it had been open, or -1 when it was closed already. */
    synchronized long succeeded() {
        long since = openSinceMs;
        openSinceMs = CLOSED;
        return since == CLOSED ? -1 : clockMs.getAsLong() - since;
    }

    /**
     * SQL state class 08 (connection exception), 57P (the server shutting down or starting), or no
     * connection handed out by the pool in time.
     */
    static boolean isConnectionFailure(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
