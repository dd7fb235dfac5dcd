package dev.hzcqrs.member;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection pool per JDBC URL and user, shared by every map store of this member. The pool
 * starts even while PostgreSQL is down and reconnects by itself when it returns; a call made while
 * it is down fails within the connection timeout, so the put that needed it fails fast.
 */
final class Database {
    private static final Map<String, HikariDataSource> POOLS = new ConcurrentHashMap<>();

    private Database() {
    }

    static HikariDataSource pool(Properties properties) {
        String url = required(properties, "jdbc-url");
        String user = properties.getProperty("user", "postgres");
        return POOLS.computeIfAbsent(url + "\u0000" + user, key -> {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setUsername(user);
            String password = properties.getProperty("password", "");
            if (!password.isEmpty()) {
                config.setPassword(password);
            }
            config.setPoolName("hzcqrs-mapstore");
            config.setMaximumPoolSize(Integer.parseInt(properties.getProperty("pool-size", "8")));
            config.setConnectionTimeout(Long.parseLong(properties.getProperty("connection-timeout-ms", "3000")));
            config.setValidationTimeout(2_000);
            config.setInitializationFailTimeout(-1);
            config.setAutoCommit(true);
            return new HikariDataSource(config);
        });
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
