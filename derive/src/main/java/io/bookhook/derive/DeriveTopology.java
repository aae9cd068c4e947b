package io.bookhook.derive;

import io.bookhook.schemas.JsonSerde;
import io.bookhook.schemas.TopicSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The derive topology as a pure function of its settings. Events are derived from the appointment change
 * <em>stream</em> with explicit stores, not from a KTable's output: table caches merge consecutive updates of
 * one key, which would lose a created followed quickly by its confirmed.
 */
public final class DeriveTopology {

    static final String SOURCE = "appointment-changes";
    static final String DERIVER = "derive-appointment-events";
    /**
     * Where the deriver forwards events: the size guard, which passes each on to {@link #EVENTS_OUT} (the events topic)
     * or, when Kafka would refuse it as too large, to the dead-letter topic.
     */
    static final String EVENTS_SINK = "appointment-events";
    static final String EVENTS_OUT = "appointment-events-out";
    static final String DEAD_LETTER_SINK = "dead-letter";

    private DeriveTopology() {
    }

    public static Topology build(DeriveSettings settings) {
        return build(settings, Metrics.globalRegistry);
    }

    public static Topology build(DeriveSettings settings, MeterRegistry registry) {
        TableMapping mapping = settings.mapping();
        DeriveMetrics metrics = new DeriveMetrics(registry);
        int maxRequestSize = OversizedEventGuard.maxRequestSize(settings.kafkaClient());
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                settings.topics().cdcTopic(mapping.appointmentTable()));
        topology.addProcessor(DERIVER, () -> new AppointmentDeriver(mapping, settings.relatedRowGrace(), settings.stateRetention(),
                maxRequestSize, metrics), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AppointmentDeriver.STATE_STORE),
                Serdes.String(), JsonSerde.of(AppointmentState.class)), DERIVER);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AppointmentDeriver.PENDING_STORE),
                Serdes.String(), JsonSerde.of(PendingEvent.Queue.class)), DERIVER);
        topology.addProcessor(EVENTS_SINK, () -> new OversizedEventGuard(TopicSpec.APPOINTMENT_EVENTS.values().serializer(), EVENTS_OUT,
                DEAD_LETTER_SINK, maxRequestSize, metrics.deadLetters("too_large")), DERIVER);
        topology.addSink(EVENTS_OUT, settings.topics().appointmentEvents(), new StringSerializer(), new ByteArraySerializer(),
                new AppointmentIdPartitioner(), EVENTS_SINK);
        topology.addSink(DEAD_LETTER_SINK, settings.topics().deadLetter(), new ByteArraySerializer(), new ByteArraySerializer(),
                DERIVER, EVENTS_SINK);

        for (TableMapping.Relation relation : mapping.relations()) {
            String store = RelatedRowStores.storeName(relation.table());
            topology.addGlobalStore(
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled(),
                    "source-" + relation.table(), new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                    settings.topics().cdcTopic(relation.table()), "update-" + store, () -> new RawRowStoreUpdater(store));
        }
        return topology;
    }

    /** Keeps the latest raw change per key, exactly as a restore from the topic would. */
    private static final class RawRowStoreUpdater implements Processor<byte[], byte[], Void, Void> {
        private final String storeName;
        private KeyValueStore<Bytes, byte[]> store;

        RawRowStoreUpdater(String storeName) {
            this.storeName = storeName;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(storeName);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(Bytes.wrap(record.key()));
            } else {
                store.put(Bytes.wrap(record.key()), record.value());
            }
        }
    }
}
