package dev.hzcqrs.member;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.internal.json.Json;
import com.hazelcast.internal.json.JsonObject;
import com.hazelcast.internal.json.JsonValue;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import com.hazelcast.map.MapStore;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import com.hazelcast.partition.PartitioningStrategy;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Writes the event log through to PostgreSQL, one row per event in `events` (see db/schema.sql),
 * and loads it back after a restart. Events are immutable: a second store of the same event is a
 * no-op, a different event at a stored version is refused, and nothing is ever deleted.
 *
 * <p>Keys are the client's partition-aware JSON keys {@code {"partitionKey":"<type>/<id>","version":n}};
 * the keys this store makes are spelled exactly as the client spells them, so they are equal.
 */
public final class EventLogMapStore implements MapStore<Object, HazelcastJsonValue>, MapLoaderLifecycleSupport {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final String INSERT = """
            insert into events (namespace, aggregate_type, aggregate_id, version, event_id, event_type,
                                occurred_at, recorded_at_ms, correlation_id, payload)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
            on conflict (namespace, aggregate_type, aggregate_id, version) do nothing""";
    private static final String SELECT_COLUMNS =
            "aggregate_type, aggregate_id, version, event_id, event_type, occurred_at, recorded_at_ms, correlation_id, payload::text";

    private static final PartitioningStrategy<Object> PARTITIONING = new JsonPartitionKeyStrategy();

    private Database database;
    private String namespace;
    private InternalSerializationService serialization;

    @Override
    public void init(HazelcastInstance hazelcastInstance, Properties properties, String mapName) {
        database = Database.pool(properties);
        namespace = Database.namespaceOf(mapName, ".event-log");
        HazelcastInstance member = hazelcastInstance instanceof HazelcastInstanceProxy proxy ? proxy.getOriginal() : hazelcastInstance;
        serialization = (InternalSerializationService) ((SerializationServiceSupport) member).getSerializationService();
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
                // One event (the usual write-through case) is one statement, committed on its own.
                connection.setAutoCommit(entries.size() == 1);
                List<JsonObject> conflicts = new ArrayList<>();
                try (PreparedStatement insert = connection.prepareStatement(INSERT + " returning 1")) {
                    for (HazelcastJsonValue value : entries.values()) {
                        JsonObject event = Json.parse(value.getValue()).asObject();
                        bind(insert, event);
                        try (ResultSet inserted = insert.executeQuery()) {
                            if (!inserted.next()) {
                                conflicts.add(event);
                            }
                        }
                    }
                }
                // An event already stored is fine when it is the same one; another event at its version is not.
                for (JsonObject event : conflicts) {
                    String stored = storedEventId(connection, event.getString("aggregateType", null), event.getString("aggregateId", null),
                            event.getInt("version", 0));
                    if (!event.getString("eventId", "").equals(stored)) {
                        throw new IllegalStateException("another event is stored at " + event.getString("aggregateType", "") + "/"
                                + event.getString("aggregateId", "") + " version " + event.getInt("version", 0));
                    }
                }
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("events not stored in PostgreSQL: " + e.getMessage(), e);
        }
    }

    private void bind(PreparedStatement insert, JsonObject event) throws SQLException {
        insert.setString(1, namespace);
        insert.setString(2, event.getString("aggregateType", null));
        insert.setString(3, event.getString("aggregateId", null));
        insert.setInt(4, event.getInt("version", 0));
        insert.setString(5, event.getString("eventId", null));
        insert.setString(6, event.getString("eventType", null));
        insert.setTimestamp(7, Timestamp.from(Instant.parse(event.getString("timestamp", null))));
        insert.setLong(8, event.getLong("recordedAtMs", 0));
        insert.setString(9, event.getString("correlationId", null));
        insert.setString(10, event.get("data").toString());
    }

    private String storedEventId(Connection connection, String type, String id, int version) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select event_id from events where namespace = ? and aggregate_type = ? and aggregate_id = ? and version = ?")) {
            select.setString(1, namespace);
            select.setString(2, type);
            select.setString(3, id);
            select.setInt(4, version);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    @Override
    public void delete(Object key) {
        throw new UnsupportedOperationException("events are never deleted");
    }

    @Override
    public void deleteAll(Collection<Object> keys) {
        throw new UnsupportedOperationException("events are never deleted");
    }

    /**
     * One key missing in memory: answered "absent" without asking PostgreSQL. The member calls this
     * before every {@code putIfAbsent}, that is before every append, whose key is new by nature; a
     * query for it cost a PostgreSQL round trip per command. The map holds every stored event (the
     * log is loaded EAGER at start, nothing is evicted, and a member's partitions survive in their
     * backups), so a miss here is a miss in the table. Should memory ever lack a stored event (every
     * copy of a partition lost at once), an append at its version still cannot take its place: the
     * insert in {@link #storeAll} finds another event there and fails the put, and the executor's
     * read of the slot goes through {@link #loadAll}, which does ask PostgreSQL.
     */
    @Override
    public HazelcastJsonValue load(Object key) {
        return null;
    }

    /**
     * The keys of the loaded entries are returned already serialized, with the partition of their
     * stream: the member would otherwise partition a loaded JSON key by all of it, not by the stream
     * the client partitions it by, and refuse the entry as belonging to another partition.
     */
    @Override
    public Map<Object, HazelcastJsonValue> loadAll(Collection<Object> keys) {
        List<String> types = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<Integer> versions = new ArrayList<>();
        for (Object key : keys) {
            JsonObject parsed = Json.parse(json(key)).asObject();
            String stream = parsed.getString("partitionKey", "");
            int slash = stream.indexOf('/');
            types.add(stream.substring(0, Math.max(slash, 0)));
            ids.add(stream.substring(slash + 1));
            versions.add(parsed.getInt("version", 0));
        }
        Map<Object, HazelcastJsonValue> found = new HashMap<>();
        String sql = "select " + SELECT_COLUMNS + " from events e join unnest(?::text[], ?::text[], ?::integer[]) as k(t, i, v)"
                + " on e.aggregate_type = k.t and e.aggregate_id = k.i and e.version = k.v where e.namespace = ?";
        try {
            database.call(connection -> {
                try (PreparedStatement select = connection.prepareStatement(sql)) {
                Array typeArray = connection.createArrayOf("text", types.toArray());
                Array idArray = connection.createArrayOf("text", ids.toArray());
                Array versionArray = connection.createArrayOf("integer", versions.toArray());
                select.setArray(1, typeArray);
                select.setArray(2, idArray);
                select.setArray(3, versionArray);
                select.setString(4, namespace);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.put(keyData(rows.getString(1), rows.getString(2), rows.getInt(3)), event(rows));
                    }
                }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("events not loaded from PostgreSQL: " + e.getMessage(), e);
        }
        return found;
    }

    @Override
    public Iterable<Object> loadAllKeys() {
        List<Object> keys = new ArrayList<>();
        try {
            database.call(connection -> {
                try (PreparedStatement select = connection.prepareStatement(
                         "select aggregate_type, aggregate_id, version from events where namespace = ?")) {
                select.setString(1, namespace);
                select.setFetchSize(10_000);
                connection.setAutoCommit(false);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        keys.add(keyData(rows.getString(1), rows.getString(2), rows.getInt(3)));
                    }
                }
                connection.commit();
                }
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("event keys not loaded from PostgreSQL: " + e.getMessage(), e);
        }
        return keys;
    }

    /** The key exactly as the client writes it: JSON.stringify({ partitionKey, version }). */
    static HazelcastJsonValue key(String type, String id, int version) {
        return new HazelcastJsonValue("{\"partitionKey\":" + Json.value(type + "/" + id) + ",\"version\":" + version + "}");
    }

    /** The key serialized as the client serializes it: same bytes, partitioned by its stream. */
    private Data keyData(String type, String id, int version) {
        return serialization.toData(key(type, id, version), PARTITIONING);
    }

    private String json(Object key) {
        if (key instanceof HazelcastJsonValue value) {
            return value.getValue();
        }
        if (key instanceof Data data) {
            return ((HazelcastJsonValue) serialization.toObject(data)).getValue();
        }
        return String.valueOf(key);
    }

    private static HazelcastJsonValue event(ResultSet row) throws SQLException {
        JsonObject event = new JsonObject()
                .add("aggregateId", row.getString(2))
                .add("aggregateType", row.getString(1));
        String correlationId = row.getString(8);
        if (correlationId != null) {
            event.add("correlationId", correlationId);
        }
        JsonValue data = Json.parse(row.getString(9));
        event.add("data", data)
                .add("eventId", row.getString(4))
                .add("eventType", row.getString(5))
                .add("recordedAtMs", row.getLong(7))
                .add("timestamp", ISO_MILLIS.format(row.getTimestamp(6).toInstant()))
                .add("version", row.getInt(3));
        return new HazelcastJsonValue(event.toString());
    }
}
