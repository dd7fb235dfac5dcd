package dev.hzcqrs.member;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.crdt.pncounter.PNCounter;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;
import com.hazelcast.internal.json.Json;
import com.hazelcast.logging.ILogger;
import com.hazelcast.logging.Logger;
import com.hazelcast.internal.json.JsonObject;
import com.hazelcast.internal.json.JsonValue;
import com.hazelcast.map.MapLoaderLifecycleSupport;
import com.hazelcast.map.MapStore;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import com.hazelcast.partition.PartitioningStrategy;

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
import java.util.UUID;

/**
 * Writes the event log through to PostgreSQL, one row per event in `events` (see db/schema.sql),
 * and loads it back after a restart. Events are immutable: a second store of the same event is a
 * no-op, a different event at a stored version is refused, and nothing is ever deleted.
 *
 * <p>With the map-store property {@code bounded} true the map is a bounded cache of the table
 * (ADR 0049: {@code initial-mode: LAZY}, LRU eviction): nothing is loaded at start, and the
 * member's {@link StreamHeads} tell {@link #load} and {@link #loadAll} which versions PostgreSQL
 * cannot hold, so that an append on a warm stream costs no query. Without it the whole log is
 * loaded at start and kept (ADR 0021).
 *
 * <p>Every statement that reads {@code events} for a key is counted in the PN counter
 * {@code <map>.pg-reads}, which the service and the tests can read.
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
    private static final ILogger LOG = Logger.getLogger(EventLogMapStore.class);

    private Database database;
    private String namespace;
    private InternalSerializationService serialization;
    private HazelcastInstance member;
    private boolean bounded;
    private final StreamHeads heads = new StreamHeads();
    private String readsCounterName;
    private volatile PNCounter reads;
    private UUID migrationListener;
    private UUID partitionLostListener;
    private UUID membershipListener;

    @Override
    public void init(HazelcastInstance hazelcastInstance, Properties properties, String mapName) {
        database = Database.pool(properties);
        namespace = Database.namespaceOf(mapName, ".event-log");
        member = hazelcastInstance instanceof HazelcastInstanceProxy proxy ? proxy.getOriginal() : hazelcastInstance;
        serialization = (InternalSerializationService) ((SerializationServiceSupport) member).getSerializationService();
        bounded = Boolean.parseBoolean(properties.getProperty("bounded", "false"));
        readsCounterName = mapName + ".pg-reads";
        if (bounded) {
            // Only a partition's owner calls the MapStore: a partition that moves, or a membership
            // change (a member lost, its backups promoted; a merge after a split brain), may leave
            // heads that another member has since stored past. Such heads are forgotten.
            migrationListener = member.getPartitionService().addMigrationListener(new MigrationListener() {
                @Override
                public void migrationStarted(MigrationState state) {
                }

                @Override
                public void migrationFinished(MigrationState state) {
                }

                @Override
                public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
                    heads.forget(event.getPartitionId());
                }

                @Override
                public void replicaMigrationFailed(ReplicaMigrationEvent event) {
                    heads.forget(event.getPartitionId());
                }
            });
            partitionLostListener = member.getPartitionService().addPartitionLostListener(event -> heads.forget(event.getPartitionId()));
            membershipListener = member.getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                    heads.forgetAll();
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    heads.forgetAll();
                }
            });
        }
    }

    @Override
    public void destroy() {
        if (migrationListener != null) {
            member.getPartitionService().removeMigrationListener(migrationListener);
        }
        if (partitionLostListener != null) {
            member.getPartitionService().removePartitionLostListener(partitionLostListener);
        }
        if (membershipListener != null) {
            member.getCluster().removeMembershipListener(membershipListener);
        }
        heads.forgetAll();
    }

    /**
     * Counts one statement that read {@code events}; looked up on first use, not while the map is
     * created. A statistic: a failure to count never fails the load.
     */
    private void countRead() {
        try {
            PNCounter counter = reads;
            if (counter == null) {
                counter = member.getPNCounter(readsCounterName);
                reads = counter;
            }
            counter.incrementAndGet();
        } catch (RuntimeException e) {
            LOG.fine("PostgreSQL read not counted: " + e);
        }
    }

    private int partitionOf(String stream) {
        // The map partitions a key by its stream (JsonPartitionKeyStrategy): the partition of the
        // stream's name is the partition of every one of its keys.
        return member.getPartitionService().getPartition(stream).getPartitionId();
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
        if (bounded) {
            for (HazelcastJsonValue value : entries.values()) {
                JsonObject event = Json.parse(value.getValue()).asObject();
                String stream = event.getString("aggregateType", "") + "/" + event.getString("aggregateId", "");
                heads.raise(partitionOf(stream), stream, event.getInt("version", 0));
            }
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
     * One key missing in memory. The member calls this before every {@code putIfAbsent}, that is
     * before every append, whose key is new by nature.
     *
     * <p>Unbounded (the whole log loaded at start, nothing evicted, a member's partitions surviving
     * in their backups): a miss here is a miss in the table, answered "absent" without asking
     * PostgreSQL. Should memory ever lack a stored event (every copy of a partition lost at once),
     * an append at its version still cannot take its place: the insert in {@link #storeAll} finds
     * another event there and fails the put, and the executor's read of the slot goes through
     * {@link #loadAll}, which does ask PostgreSQL.
     *
     * <p>Bounded: "absent" without a query when the stream's head is known and the key is above
     * it (the usual append on a warm stream); otherwise one statement returns the event if it is
     * stored, and the stream's head, which is remembered.
     */
    @Override
    public HazelcastJsonValue load(Object key) {
        if (!bounded) {
            return null;
        }
        JsonObject parsed = Json.parse(json(key)).asObject();
        String stream = parsed.getString("partitionKey", "");
        int version = parsed.getInt("version", 0);
        int partition = partitionOf(stream);
        Integer head = heads.head(partition, stream);
        if (head != null && version > head) {
            return null;
        }
        int slash = stream.indexOf('/');
        String sql = "select h.head, " + prefixed("e") + " from (select coalesce(max(version), 0) as head from events"
                + " where namespace = ? and aggregate_type = ? and aggregate_id = ?) h"
                + " left join events e on e.namespace = ? and e.aggregate_type = ? and e.aggregate_id = ? and e.version = ?";
        try {
            HazelcastJsonValue found = database.call(connection -> {
                try (PreparedStatement select = connection.prepareStatement(sql)) {
                    String type = stream.substring(0, Math.max(slash, 0));
                    String id = stream.substring(slash + 1);
                    select.setString(1, namespace);
                    select.setString(2, type);
                    select.setString(3, id);
                    select.setString(4, namespace);
                    select.setString(5, type);
                    select.setString(6, id);
                    select.setInt(7, version);
                    try (ResultSet row = select.executeQuery()) {
                        row.next();
                        heads.raise(partition, stream, row.getInt(1));
                        return row.getString(2) == null ? null : event(row, 1);
                    }
                }
            });
            countRead();
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("event not loaded from PostgreSQL: " + e.getMessage(), e);
        }
    }

    /**
     * The keys of the loaded entries are returned already serialized, with the partition of their
     * stream: the member would otherwise partition a loaded JSON key by all of it, not by the stream
     * the client partitions it by, and refuse the entry as belonging to another partition.
     *
     * <p>Bounded: keys above their stream's known head are not asked for (a read of a warm stream
     * past its last event costs no query), and the statement returns each stream's head with its
     * events, which is remembered.
     */
    @Override
    public Map<Object, HazelcastJsonValue> loadAll(Collection<Object> keys) {
        List<String> streams = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<Integer> versions = new ArrayList<>();
        Map<String, Integer> partitions = new HashMap<>();
        for (Object key : keys) {
            JsonObject parsed = Json.parse(json(key)).asObject();
            String stream = parsed.getString("partitionKey", "");
            int version = parsed.getInt("version", 0);
            if (bounded) {
                int partition = partitions.computeIfAbsent(stream, this::partitionOf);
                Integer head = heads.head(partition, stream);
                if (head != null && version > head) {
                    continue;
                }
            }
            int slash = stream.indexOf('/');
            streams.add(stream);
            types.add(stream.substring(0, Math.max(slash, 0)));
            ids.add(stream.substring(slash + 1));
            versions.add(version);
        }
        Map<Object, HazelcastJsonValue> found = new HashMap<>();
        if (versions.isEmpty()) {
            return found;
        }
        String sql = bounded
                ? "select k.t || '/' || k.i, (select coalesce(max(m.version), 0) from events m where m.namespace = ? and m.aggregate_type = k.t"
                        + " and m.aggregate_id = k.i), " + prefixed("e") + " from unnest(?::text[], ?::text[], ?::integer[]) as k(t, i, v)"
                        + " left join events e on e.namespace = ? and e.aggregate_type = k.t and e.aggregate_id = k.i and e.version = k.v"
                : "select null, 0, " + prefixed("e") + " from events e join unnest(?::text[], ?::text[], ?::integer[]) as k(t, i, v)"
                        + " on e.aggregate_type = k.t and e.aggregate_id = k.i and e.version = k.v where e.namespace = ?";
        Map<String, Integer> seenHeads = new HashMap<>();
        try {
            database.call(connection -> {
                try (PreparedStatement select = connection.prepareStatement(sql)) {
                    int parameter = 1;
                    if (bounded) {
                        select.setString(parameter++, namespace);
                    }
                    select.setArray(parameter++, connection.createArrayOf("text", types.toArray()));
                    select.setArray(parameter++, connection.createArrayOf("text", ids.toArray()));
                    select.setArray(parameter++, connection.createArrayOf("integer", versions.toArray()));
                    select.setString(parameter, namespace);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            if (bounded) {
                                seenHeads.merge(rows.getString(1), rows.getInt(2), Math::max);
                            }
                            if (rows.getString(3) != null) {
                                found.put(keyData(rows.getString(3), rows.getString(4), rows.getInt(5)), event(rows, 2));
                            }
                        }
                    }
                }
                return null;
            });
            countRead();
        } catch (SQLException e) {
            throw new IllegalStateException("events not loaded from PostgreSQL: " + e.getMessage(), e);
        }
        seenHeads.forEach((stream, head) -> heads.raise(partitions.get(stream), stream, head));
        return found;
    }

    /** Bounded: nothing is loaded at start (a stream is loaded when it is read). */
    @Override
    public Iterable<Object> loadAllKeys() {
        List<Object> keys = new ArrayList<>();
        if (bounded) {
            return keys;
        }
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

    /** {@link #SELECT_COLUMNS} of the table aliased {@code alias}. */
    private static String prefixed(String alias) {
        return alias + "." + SELECT_COLUMNS.replace(", ", ", " + alias + ".");
    }

    /** The event in the columns {@link #SELECT_COLUMNS}, which start after the first {@code skip} columns. */
    private static HazelcastJsonValue event(ResultSet row, int skip) throws SQLException {
        JsonObject event = new JsonObject()
                .add("aggregateId", row.getString(skip + 2))
                .add("aggregateType", row.getString(skip + 1));
        String correlationId = row.getString(skip + 8);
        if (correlationId != null) {
            event.add("correlationId", correlationId);
        }
        JsonValue data = Json.parse(row.getString(skip + 9));
        event.add("data", data)
                .add("eventId", row.getString(skip + 4))
                .add("eventType", row.getString(skip + 5))
                .add("recordedAtMs", row.getLong(skip + 7))
                .add("timestamp", ISO_MILLIS.format(row.getTimestamp(skip + 6).toInstant()))
                .add("version", row.getInt(skip + 3));
        return new HazelcastJsonValue(event.toString());
    }
}
