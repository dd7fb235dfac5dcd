package dev.hzcqrs.member;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BreakerTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final Breaker breaker = new Breaker(now::get);

    private static SQLException refused() {
        return new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
    }

    @Test
    void closedLetsCallsThrough() {
        assertFalse(breaker.isOpen());
        assertDoesNotThrow(breaker::check);
    }

    @Test
    void aConnectionFailureOpensItAndEveryCallThenFailsAtOnce() {
        assertTrue(breaker.failed(refused()));
        now.addAndGet(1_500);
        SQLException failure = assertThrows(SQLTransientConnectionException.class, breaker::check);
        assertEquals("08001", failure.getSQLState());
        assertTrue(failure.getMessage().contains("1500 ms"), failure.getMessage());
        // The failure it fails with is a connection failure too: stores wrapping it keep it open.
        assertTrue(Breaker.isConnectionFailure(failure));
    }

    @Test
    void onlyTheFirstFailureOpensIt() {
        assertTrue(breaker.failed(refused()));
        assertFalse(breaker.failed(refused()));
        assertTrue(breaker.isOpen());
    }

    @Test
    void aFailedStatementOnAWorkingConnectionLeavesItClosed() {
        assertFalse(breaker.failed(new SQLException("duplicate key value violates unique constraint", "23505")));
        assertFalse(breaker.failed(new SQLException("no state")));
        assertFalse(breaker.isOpen());
    }

    @Test
    void aBrokenConnectionOrAServerShuttingDownOpensIt() {
        assertTrue(Breaker.isConnectionFailure(new SQLException("An I/O error occurred while sending to the backend.", "08006")));
        assertTrue(Breaker.isConnectionFailure(new SQLException("terminating connection due to administrator command", "57P01")));
        assertTrue(Breaker.isConnectionFailure(new SQLTransientConnectionException("Connection is not available, request timed out after 3000ms")));
        assertTrue(Breaker.isConnectionFailure(new SQLException("wrapped", "XX000", refused())));
    }

    @Test
    void aWorkingConnectionClosesItAndSaysHowLongItWasOpen() {
        assertEquals(-1, breaker.succeeded());
        breaker.failed(refused());
        now.addAndGet(120_000);
        assertEquals(120_000, breaker.succeeded());
        assertFalse(breaker.isOpen());
        assertDoesNotThrow(breaker::check);
        assertTrue(breaker.failed(refused()), "it opens again on the next failure");
    }
}
