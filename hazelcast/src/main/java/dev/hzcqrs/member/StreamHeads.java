package dev.hzcqrs.member;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Per partition this member owns, the head version of the streams it has seen: the highest version
 * PostgreSQL is known to hold for each (ADR 0049). A version above a known head is not in
 * PostgreSQL, so the event log's {@code load} answers "absent" for it without a query.
 *
 * <p>A head only ever rises while the member keeps its partition: it is raised by the
 * write-through of an append and recorded from what a query found, and since only the owner of a
 * partition calls the MapStore, no other member can store above it meanwhile. When a partition
 * moves (to or away from this member), or the cluster's membership changes, its heads are
 * forgotten and the stream is cold again. Correctness never rests on a head: PostgreSQL's primary
 * key still refuses a second event at a version.
 */
final class StreamHeads {
    private final ConcurrentMap<Integer, ConcurrentMap<String, Integer>> byPartition = new ConcurrentHashMap<>();

    /** The head of {@code stream}, or null when this member does not know it. */
    Integer head(int partition, String stream) {
        ConcurrentMap<String, Integer> heads = byPartition.get(partition);
        return heads == null ? null : heads.get(stream);
    }

    /** PostgreSQL holds {@code stream} up to {@code version} at least. */
    void raise(int partition, String stream, int version) {
        byPartition.computeIfAbsent(partition, p -> new ConcurrentHashMap<>()).merge(stream, version, Math::max);
    }

    void forget(int partition) {
        byPartition.remove(partition);
    }

    void forgetAll() {
        byPartition.clear();
    }

    /** Streams with a known head, over every partition (for the member's statistics). */
    int size() {
        return byPartition.values().stream().mapToInt(ConcurrentMap::size).sum();
    }
}
