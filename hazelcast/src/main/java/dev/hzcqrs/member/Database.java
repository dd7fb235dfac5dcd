package dev.hzcqrs.member;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connection pool per JDBC URL and user, shared by every map store of this member, behind a
 * {@link Breaker}. The pool starts even while PostgreSQL is down and reconnects by itself when it
 * returns. While PostgreSQL is unreachable every call fails at once (the breaker is open), so the
 * put that needed it answers its client in milliseconds rather than after the pool's connection
 * timeout; a probe every {@code probe-interval-ms} asks for a connection and closes the breaker as
 * soon as one works (ADR 0031).
 */
final class Database {
    private static final Logger LOG = Logger.getLogger(Database.class.getName());
    private static final Map<String, Database> POOLS = new ConcurrentHashMap<>();
    /** Hikari's smallest wait for a connection: a call waits in slices of it, checking the breaker between them. */
    private static final long SLICE_MS = 250;

    /** A statement's work on a connection the database lends. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final HikariDataSource pool;
    private final Breaker breaker = new Breaker(System::currentTimeMillis);
    private final long connectionTimeoutMs;

    private Database(HikariConfig config, long connectionTimeoutMs, long probeIntervalMs) {
        this.connectionTimeoutMs = connectionTimeoutMs;
        this.pool = new HikariDataSource(config);
        ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "hzcqrs-postgres-probe");
            thread.setDaemon(true);
            return thread;
        });
        prober.scheduleWithFixedDelay(this::probe, probeIntervalMs, probeIntervalMs, TimeUnit.MILLISECONDS);
    }

    static Database pool(Properties properties) {
        String url = required(properties, "jdbc-url");
        String user = properties.getProperty("user", "postgres");
        return POOLS.computeIfAbsent(url + "\u0000" + user, key -> {
            PGSimpleDataSource postgres = new PGSimpleDataSource();
            postgres.setURL(url);
            postgres.setUser(user);
            String password = properties.getProperty("password", "");
            if (!password.isEmpty()) {
                postgres.setPassword(password);
            }
            long connectionTimeoutMs = Long.parseLong(properties.getProperty("connection-timeout-ms", "3000"));
            postgres.setLoginTimeout((int) Math.max(1, (connectionTimeoutMs + 999) / 1000));
            // A batch of upserts (a write-behind store of views and histories) goes as multi-row
            // statements, not one statement per row.
            postgres.setReWriteBatchedInserts(true);
            HikariConfig config = new HikariConfig();
            config.setPoolName("hzcqrs-mapstore");
            config.setMaximumPoolSize(Integer.parseInt(properties.getProperty("pool-size", "8")));
            // One slice per wait; connection-timeout-ms bounds the sum (Database.borrow).
            config.setConnectionTimeout(SLICE_MS);
            config.setValidationTimeout(SLICE_MS);
            config.setInitializationFailTimeout(-1);
            config.setAutoCommit(true);
            // Named, not detected: Hikari reads the default from the first connection it makes, and
            // when that connection breaks during the check (PostgreSQL restarting while the member
            // starts) it keeps -1 and sets it on every later connection, which PostgreSQL refuses:
            // the pool then never connects again.
            config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
            Database[] self = new Database[1];
            config.setDataSource(new WatchedDataSource(postgres, () -> self[0]));
            self[0] = new Database(config, connectionTimeoutMs, Long.parseLong(properties.getProperty("probe-interval-ms", "500")));
            return self[0];
        });
    }

    /**
     * Runs the work on a pooled connection. Fails at once while PostgreSQL is known to be
     * unreachable; a connection failure met here opens the breaker for every later call.
     */
    <T> T call(Work<T> work) throws SQLException {
        try (Connection connection = borrow()) {
            return work.run(connection);
        } catch (SQLException failure) {
            opened(failure);
            throw failure;
        }
    }

    private Connection borrow() throws SQLException {
        long deadline = System.currentTimeMillis() + connectionTimeoutMs;
        for (;;) {
            breaker.check();
            try {
                return pool.getConnection();
            } catch (SQLTransientConnectionException slice) {
                // No connection in this slice: give up at the deadline, or as soon as the pool's
                // attempt to connect failed and opened the breaker.
                if (System.currentTimeMillis() >= deadline) {
                    throw slice;
                }
            }
        }
    }

    /** Called by the pool's data source: a new physical connection was refused. */
    void connectFailed(SQLException failure) {
        opened(failure);
    }

    /** Called by the pool's data source: PostgreSQL accepted a connection. */
    void connected() {
        long openMs = breaker.succeeded();
        if (openMs >= 0) {
            LOG.info("PostgreSQL is reachable again; circuit closed after " + openMs + " ms");
        }
    }

    boolean isOpen() {
        return breaker.isOpen();
    }

    private void opened(SQLException failure) {
        if (breaker.failed(failure)) {
            LOG.warning("PostgreSQL is unreachable; circuit open, map store calls fail at once until a probe connects: " + failure.getMessage());
        }
    }

    private void probe() {
        if (!breaker.isOpen()) {
            return;
        }
        try (Connection connection = pool.getConnection()) {
            if (connection.isValid(1)) {
                connected();
            }
        } catch (SQLException | RuntimeException stillDown) {
            LOG.log(Level.FINE, "PostgreSQL probe failed", stillDown);
        }
    }

    static String required(Properties properties, String name) {
        String value = properties.getProperty(name);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException("map store property '" + name + "' is not set (see hazelcast/member.yaml)");
        }
        return value;
    }

    /** The namespace of a map: its name without the last segment (`hzcqrs.event-log` → `hzcqrs`). */
    static String namespaceOf(String mapName, String suffix) {
        if (!mapName.endsWith(suffix)) {
            throw new IllegalStateException("map " + mapName + " does not end with " + suffix);
        }
        return mapName.substring(0, mapName.length() - suffix.length());
    }
}
