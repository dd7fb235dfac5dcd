package dev.hzcqrs.member;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.internal.json.Json;
import com.hazelcast.internal.json.JsonValue;
import com.hazelcast.partition.PartitioningStrategy;

/**
 * Partitions a JSON key `{"partitionKey": ..., ...}` by its `partitionKey`, as the Node.js client
 * does for partition-aware keys. Keys the member makes itself (loaded by a map store) then land in
 * the partition where the client looks for them: a whole event stream stays in one partition.
 */
public final class JsonPartitionKeyStrategy implements PartitioningStrategy<Object> {
    @Override
    public Object getPartitionKey(Object key) {
        if (!(key instanceof HazelcastJsonValue json)) {
            return null;
        }
        JsonValue parsed = Json.parse(json.getValue());
        if (!parsed.isObject()) {
            return null;
        }
        JsonValue partitionKey = parsed.asObject().get("partitionKey");
        return partitionKey != null && partitionKey.isString() ? partitionKey.asString() : null;
    }
}
