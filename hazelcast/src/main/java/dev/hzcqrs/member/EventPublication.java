package dev.hzcqrs.member;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.internal.json.Json;
import com.hazelcast.internal.json.JsonObject;
import com.hazelcast.internal.json.JsonValue;
import com.hazelcast.logging.ILogger;
import com.hazelcast.logging.Logger;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryLoadedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.topic.ITopic;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Publishes every event appended to the event log on the ReliableTopic its stored value names
 * ({@code "topic"}), from the member that owns the event's partition, once the append and its
 * write-through to PostgreSQL have succeeded: the service answers a command after one round trip
 * instead of two (docs/adr/0032-the-member-publishes-appended-events.md).
 *
 * <p>A stream lives in one partition, and a local listener is called for one partition's events in
 * order, on one thread; each publication of a stream starts once the one before it has ended, so one
 * aggregate's events reach its topic in the order of their versions, also when the member retries
 * one of them.
 * Events loaded from PostgreSQL after a restart are not appends and are not published. A value
 * without {@code "topic"} (written by a service that publishes for itself) is left alone. A failed
 * publication is logged; the reconciler's sweep of the log delivers the event (ADR 0004), as it
 * does for a service that died between its append and its publication.
 *
 * <p>An event the merge after a split brain brings into the log (appended on the other side, in
 * PostgreSQL already) is published too: its publication went to the other side's ringbuffer, which
 * the merge drops, and it enters this side's log later than the reconciler looks back (ADR 0035).
 * Projections skip what they hold already.
 */
public final class EventPublication implements EntryAddedListener<Object, HazelcastJsonValue>,
        EntryLoadedListener<Object, HazelcastJsonValue>, EntryMergedListener<Object, HazelcastJsonValue>, HazelcastInstanceAware {
    private static final ILogger LOG = Logger.getLogger(EventPublication.class);

    private final ConcurrentMap<String, ITopic<HazelcastJsonValue>> topics = new ConcurrentHashMap<>();
    /**
     * How long a publication waits for the one before it of its stream. Long enough for a slow one
     * on a loaded member (a first publication on a topic took over 2 s in a CI run, and the next
     * overtook it); short enough that a publication held by a dead member's ringbuffer does not
     * hold its stream for long (ADR 0046).
     */
    private static final long WAIT_FOR_PREVIOUS_SECONDS = 10;
    /** Per stream, the publication started last, until it ends. */
    private final ConcurrentMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private volatile HazelcastInstance member;

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        member = hazelcastInstance;
    }

    @Override
    public void entryAdded(EntryEvent<Object, HazelcastJsonValue> event) {
        publish(event);
    }

    @Override
    public void entryMerged(EntryEvent<Object, HazelcastJsonValue> event) {
        publish(event);
    }

    private void publish(EntryEvent<Object, HazelcastJsonValue> event) {
        HazelcastJsonValue value = event.getValue();
        if (value == null) return;
        JsonObject stored = Json.parse(value.getValue()).asObject();
        JsonValue named = stored.get("topic");
        if (named == null || !named.isString()) return;
        String topic = named.asString();
        ITopic<HazelcastJsonValue> target = topics.computeIfAbsent(topic, name -> member().getReliableTopic(name));
        String stream = stored.getString("aggregateType", "") + "/" + stored.getString("aggregateId", "");
        // One stream's publications one after the other: an asynchronous publication may be retried
        // inside the member and overtaken by the next one, so the next starts once this one ended
        // (failed or not: a failure is the reconciler's to repair, not a reason to hold the stream).
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] mine = new CompletableFuture[1];
        tails.compute(stream, (key, tail) -> {
            // A publication that has not ended after ten seconds (its ringbuffer's member died and
            // the call waits for a new owner) holds the stream no longer: the next one goes ahead, and
            // a projection fills a gap from the log.
            CompletableFuture<Void> previous = tail == null ? CompletableFuture.completedFuture(null)
                    : tail.copy().completeOnTimeout(null, WAIT_FOR_PREVIOUS_SECONDS, TimeUnit.SECONDS);
            mine[0] = previous
                    .thenCompose(ignored -> target.publishAsync(value).toCompletableFuture())
                    .handle((done, error) -> {
                        if (error != null) {
                            LOG.warning("event not published on " + topic + " (the reconciler delivers it): " + error);
                        }
                        return null;
                    });
            return mine[0];
        });
        CompletableFuture<Void> published = mine[0];
        published.whenComplete((done, error) -> tails.remove(stream, published));
    }

    /** A load is not an append: its event was published when it was appended. */
    @Override
    public void entryLoaded(EntryEvent<Object, HazelcastJsonValue> event) {
    }

    private HazelcastInstance member() {
        HazelcastInstance known = member;
        if (known == null) {
            // Listeners made from configuration are usually given the member; one JVM runs one member.
            known = Hazelcast.getAllHazelcastInstances().iterator().next();
            member = known;
        }
        return known;
    }
}
