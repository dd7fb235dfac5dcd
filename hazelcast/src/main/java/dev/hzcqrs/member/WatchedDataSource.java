package dev.hzcqrs.member;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.function.Supplier;

/**
 * The pool's source of physical connections, telling the {@link Database} of each attempt: a
 * refused connection opens its breaker at once (while the caller that needed it still waits on
 * the pool), an accepted one closes it.
 */
final class WatchedDataSource implements DataSource {
    private final DataSource postgres;
    private final Supplier<Database> database;

    WatchedDataSource(DataSource postgres, Supplier<Database> database) {
        this.postgres = postgres;
        this.database = database;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return watched(postgres::getConnection);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return watched(() -> postgres.getConnection(username, password));
    }

    private interface Connect {
        Connection connect() throws SQLException;
    }

    private Connection watched(Connect connect) throws SQLException {
        Database watcher = database.get();
        try {
            Connection connection = connect.connect();
            if (watcher != null) {
                watcher.connected();
            }
            return connection;
        } catch (SQLException refused) {
            if (watcher != null) {
                watcher.connectFailed(refused);
            }
            throw refused;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return postgres.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        postgres.setLogWriter(out);
    }

    /**
     * Ignored: the pool sets its wait for a connection here (a slice of 250 ms, rounded up to 1 s),
     * but connecting to a busy server may take longer than a slice; the login timeout stays the
     * one {@link Database} set from {@code connection-timeout-ms}.
     */
    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return postgres.getLoginTimeout();
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return postgres.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : postgres.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || postgres.isWrapperFor(type);
    }
}
