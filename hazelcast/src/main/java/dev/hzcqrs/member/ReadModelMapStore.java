package dev.hzcqrs.member;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.internal.json.Json;
import com.hazelcast.internal.json.JsonValue;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import com.hazelcast.map.MapStore;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.partition.PartitioningStrategy;
import com.hazelcast.spi.impl.SerializationServiceSupport;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Keeps the entries of a read-model map in PostgreSQL (`read_model_rows`, see db/schema.sql): the
 * views and histories of every generation, write-behind, and the generations and the persisted
 * watermark, write-through (ADR 0050). One row per entry, keyed by the map's full name and the
 * entry's key as the client spells it (a string, or the JSON of a partition-aware key).
 *
 * <p>The value is kept verbatim: compare-and-set on the member compares bytes, and a value loaded
 * back must be the same bytes the client wrote. A value with a numeric {@code version} only moves
 * forward: a write-behind batch that is retried after a newer one was stored leaves the newer row.
 *
 * <p>No key is listed when the cluster starts: an entry is loaded when it is first read (ADR 0054;
 * the service holds every account view before it answers a list query, which filters them on the
 * members).
 *
 * <p>The map-store property {@code table} names another table of the same columns: the account
 * snapshots are kept in {@code snapshot_rows} (ADR 0052), as a cache of the write model that a
 * command on a cold account reads before the events after it.
 */
public final class ReadModelMapStore implements MapStore<Object, HazelcastJsonValue>, MapLoaderLifecycleSupport {
    private static final String UPSERT = """
            insert into %1$s (map_name, key, version, body) values (?, ?, ?, ?)
            on conflict (map_name, key) do update set version = excluded.version, body = excluded.body
            where %1$s.version is null or excluded.version is null or %1$s.version <= excluded.version""";

    /** The tables of db/schema.sql with this store's columns: the read model's, and the account snapshots' (ADR 0052). */
    private static final Set<String> TABLES = Set.of("read_model_rows", "snapshot_rows");

    private static final PartitioningStrategy<Object> PARTITIONING = new JsonPartitionKeyStrategy();

    private Database database;
    private String mapName;
    private InternalSerializationService serialization;
    private String table;

    @Override
    public void init(HazelcastInstance hazelcastInstance, Properties properties, String mapName) {
        this.database = Database.pool(properties);
        this.mapName = mapName;
        HazelcastInstance member = hazelcastInstance instanceof HazelcastInstanceProxy proxy ? proxy.getOriginal() : hazelcastInstance;
        this.serialization = (InternalSerializationService) ((SerializationServiceSupport) member).getSerializationService();
        this.table = properties.getProperty("table", "read_model_rows");
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException(mapName + ": map-store property table is '" + table + "'; it must be one of " + TABLES);
        }
    }

    @Override
    public void destroy() {
    }

    @Override
    public void store(Object key, HazelcastJsonValue value) {
        storeAll(Map.of(key, value));
    }

    @Override
    public void storeAll(Map<Object, HazelcastJsonValue> entries) {
        try {
            database.call(connection -> {
                try (PreparedStatement upsert = connection.prepareStatement(UPSERT.formatted(table))) {
                    for (Map.Entry<Object, HazelcastJsonValue> entry : entries.entrySet()) {
                        String body = entry.getValue().getValue();
                        upsert.setString(1, mapName);
                        upsert.setString(2, keyOf(entry.getKey()));
                        Long version = versionOf(body);
                        if (version == null) {
                            upsert.setNull(3, Types.BIGINT);
                        } else {
                            upsert.setLong(3, version);
                        }
                        upsert.setString(4, body);
                        upsert.addBatch();
                    }
                    upsert.executeBatch();
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException(mapName + ": entries not stored in PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(Object key) {
        deleteAll(List.of(key));
    }

    @Override
    public void deleteAll(Collection<Object> keys) {
        try {
            database.call(connection -> {
                try (PreparedStatement delete = connection.prepareStatement("delete from " + table + " where map_name = ? and key = any(?)")) {
                    delete.setString(1, mapName);
                    delete.setArray(2, connection.createArrayOf("text", keys.stream().map(this::keyOf).toArray()));
                    delete.executeUpdate();
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException(mapName + ": entries not deleted in PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public HazelcastJsonValue load(Object key) {
        return loadAll(List.of(key)).get(key);
    }

    @Override
    public Map<Object, HazelcastJsonValue> loadAll(Collection<Object> keys) {
        Map<String, Object> byText = new HashMap<>();
        for (Object key : keys) {
            byText.put(keyOf(key), loadedKey(key));
        }
        Map<Object, HazelcastJsonValue> found = new HashMap<>();
        try {
            database.call(connection -> {
                try (PreparedStatement select = connection.prepareStatement("select key, body from " + table + " where map_name = ? and key = any(?)")) {
                    select.setString(1, mapName);
                    select.setArray(2, connection.createArrayOf("text", byText.keySet().toArray()));
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            found.put(byText.get(rows.getString(1)), new HazelcastJsonValue(rows.getString(2)));
                        }
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException(mapName + ": entries not loaded from PostgreSQL: " + e.getMessage(), e);
        }
        return found;
    }

    /** None: an entry is loaded when it is first read (ADR 0054), so a start never waits for the whole table. */
    @Override
    public Iterable<Object> loadAllKeys() {
        return List.of();
    }

    /** The key as the client spelled it: a string as is, a partition-aware key as its JSON. */
    private String keyOf(Object key) {
        if (key instanceof Data data) {
            return keyOf(serialization.toObject(data));
        }
        return key instanceof HazelcastJsonValue json ? json.getValue() : String.valueOf(key);
    }

    /**
     * The key a load hands back. A partition-aware JSON key goes back serialized as the client
     * serializes it, partitioned by its {@code partitionKey}: handed back as an object, the member
     * would partition it by its whole bytes and refuse it as belonging to another partition.
     */
    private Object loadedKey(Object key) {
        Object plain = key instanceof Data data ? serialization.toObject(data) : key;
        return plain instanceof HazelcastJsonValue ? serialization.toData(plain, PARTITIONING) : plain;
    }

    /** The value's top-level {@code version}, when it is a number. */
    static Long versionOf(String body) {
        try {
            JsonValue value = Json.parse(body);
            if (!value.isObject()) {
                return null;
            }
            JsonValue version = value.asObject().get("version");
            return version != null && version.isNumber() ? version.asLong() : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }
}
