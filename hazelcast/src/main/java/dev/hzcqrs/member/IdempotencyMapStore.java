package dev.hzcqrs.member;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import com.hazelcast.map.MapStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Writes idempotency records through to PostgreSQL (`idempotency_records`, see db/schema.sql), so a
 * retry after a full restart still gets the first answer. The record is kept verbatim: compare-and-set
 * on the member compares bytes, and a reloaded record must be the same bytes.
 */
public final class IdempotencyMapStore implements MapStore<String, HazelcastJsonValue>, MapLoaderLifecycleSupport {
    private Database database;
    private String namespace;
    private long retentionSeconds;

    @Override
    public void init(HazelcastInstance hazelcastInstance, Properties properties, String mapName) {
        database = Database.pool(properties);
        namespace = Database.namespaceOf(mapName, ".idempotency");
        retentionSeconds = Long.parseLong(properties.getProperty("retention-seconds", "172800"));
    }

    @Override
    public void destroy() {
    }

    @Override
    public void store(String key, HazelcastJsonValue value) {
        storeAll(Map.of(key, value));
    }

    @Override
    public void storeAll(Map<String, HazelcastJsonValue> entries) {
        String sql = """
                insert into idempotency_records (namespace, key, record, expires_at)
                values (?, ?, ?, now() + make_interval(secs => ?))
                on conflict (namespace, key) do update set record = excluded.record, expires_at = excluded.expires_at""";
        try {
            database.call(connection -> {
                try (PreparedStatement upsert = connection.prepareStatement(sql)) {
                for (Map.Entry<String, HazelcastJsonValue> entry : entries.entrySet()) {
                    upsert.setString(1, namespace);
                    upsert.setString(2, entry.getKey());
                    upsert.setString(3, entry.getValue().getValue());
                    upsert.setLong(4, retentionSeconds);
                    upsert.addBatch();
                }
                upsert.executeBatch();
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("idempotency records not stored in PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) {
        deleteAll(List.of(key));
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        try {
            database.call(connection -> {
                try (PreparedStatement delete = connection.prepareStatement(
                         "delete from idempotency_records where namespace = ? and key = any(?)")) {
                delete.setString(1, namespace);
                delete.setArray(2, connection.createArrayOf("text", keys.toArray()));
                delete.executeUpdate();
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("idempotency records not deleted in PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public HazelcastJsonValue load(String key) {
        return loadAll(List.of(key)).get(key);
    }

    @Override
    public Map<String, HazelcastJsonValue> loadAll(Collection<String> keys) {
        Map<String, HazelcastJsonValue> found = new HashMap<>();
        try {
            database.call(connection -> {
                try (PreparedStatement select = connection.prepareStatement(
                         "select key, record from idempotency_records where namespace = ? and key = any(?) and expires_at > now()")) {
                select.setString(1, namespace);
                select.setArray(2, connection.createArrayOf("text", keys.toArray()));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.put(rows.getString(1), new HazelcastJsonValue(rows.getString(2)));
                    }
                }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("idempotency records not loaded from PostgreSQL: " + e.getMessage(), e);
        }
        return found;
    }

    @Override
    public Iterable<String> loadAllKeys() {
        List<String> keys = new ArrayList<>();
        try {
            database.call(connection -> {
                try (PreparedStatement purge = connection.prepareStatement(
                        "delete from idempotency_records where namespace = ? and expires_at <= now()")) {
                    purge.setString(1, namespace);
                    purge.executeUpdate();
                }
                try (PreparedStatement select = connection.prepareStatement(
                        "select key from idempotency_records where namespace = ?")) {
                    select.setString(1, namespace);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            keys.add(rows.getString(1));
                        }
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("idempotency keys not loaded from PostgreSQL: " + e.getMessage(), e);
        }
        return keys;
    }
}
