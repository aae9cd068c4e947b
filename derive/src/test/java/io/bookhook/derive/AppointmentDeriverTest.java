package io.bookhook.derive;

import static io.bookhook.derive.ChangeEvents.appointment;
import static io.bookhook.derive.ChangeEvents.change;
import static io.bookhook.derive.ChangeEvents.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.JsonSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The deriver as one instance after another sees it, on a mock context: what the topology test driver cannot show,
 * since it wipes its state when it closes.
 */
class AppointmentDeriverTest {

    private static final TableMapping MAPPING = TableMapping.referenceSchema();

    private final Map<String, KeyValueStore<?, ?>> stores = new HashMap<>();

    @Test
    void an_event_a_stopped_instance_left_waiting_goes_out_once_its_rows_arrive_at_the_next_one() {
        MockProcessorContext<Object, Object> first = context();
        AppointmentDeriver stopping = deriver(first);
        stopping.process(new Record<>(key(1), change("c", appointment(1, "pending")), 0L));
        assertThat(first.forwarded()).as("the customer and the rest have not arrived").isEmpty();
        stopping.close();

        MockProcessorContext<Object, Object> second = context();
        AppointmentDeriver next = deriver(second);
        relatedRowsArrive();
        second.scheduledPunctuators().get(0).getPunctuator().punctuate(System.currentTimeMillis());

        assertThat(second.forwarded()).extracting(forwarded -> ((AppointmentEvent) forwarded.record().value()).idempotencyKey())
                .containsExactly("appointment:1:created");
        assertThat(second.scheduledPunctuators().get(0).getInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(second.scheduledPunctuators().get(0).cancelled()).as("nothing waits any more").isTrue();
        next.close();
    }

    @Test
    void nothing_is_rechecked_while_nothing_waits() {
        MockProcessorContext<Object, Object> context = context();
        AppointmentDeriver deriver = deriver(context);
        relatedRowsArrive();

        deriver.process(new Record<>(key(1), change("c", appointment(1, "pending")), 0L));

        assertThat(context.forwarded()).hasSize(1);
        assertThat(context.scheduledPunctuators()).as("a punctuation makes Kafka Streams process fewer records per loop").isEmpty();
        deriver.close();
    }

    private AppointmentDeriver deriver(MockProcessorContext<Object, Object> context) {
        AppointmentDeriver deriver = new AppointmentDeriver(MAPPING, Duration.ofSeconds(10), new DeriveMetrics(new SimpleMeterRegistry()));
        deriver.init(context);
        return deriver;
    }

    /** A fresh context over the same stores, as a restarted instance gets them back from its changelog. */
    private MockProcessorContext<Object, Object> context() {
        Properties config = new Properties();
        config.put("application.id", "deriver-test");
        config.put("bootstrap.servers", "unused:9092");
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>(config);
        context.setCurrentSystemTimeMs(System.currentTimeMillis());
        add(context, AppointmentDeriver.STATE_STORE, () -> Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(AppointmentDeriver.STATE_STORE),
                Serdes.String(), JsonSerde.of(AppointmentState.class)).withLoggingDisabled().build());
        add(context, AppointmentDeriver.PENDING_STORE, () -> Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(AppointmentDeriver.PENDING_STORE),
                Serdes.String(), JsonSerde.of(PendingEvent.Queue.class)).withLoggingDisabled().build());
        for (TableMapping.Relation relation : MAPPING.relations()) {
            String name = RelatedRowStores.storeName(relation.table());
            add(context, name, () -> Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                    .withLoggingDisabled().build());
        }
        return context;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void add(MockProcessorContext<Object, Object> context, String name, java.util.function.Supplier<KeyValueStore<?, ?>> create) {
        KeyValueStore store = stores.computeIfAbsent(name, n -> {
            KeyValueStore<?, ?> created = create.get();
            created.init(context.getStateStoreContext(), created);
            return created;
        });
        context.addStateStore(store);
    }

    private void relatedRowsArrive() {
        put("appointments_customer", key(10), change("c", ChangeEvents.customer(10, "0912-345-4567")));
        put("appointments_salon", key(20), change("c", ChangeEvents.salon(20)));
        put("appointments_stylist", key(30), change("c", ChangeEvents.stylist(30)));
        put("appointments_service", key(40), change("c", ChangeEvents.service(40)));
    }

    @SuppressWarnings("unchecked")
    private void put(String table, byte[] key, byte[] change) {
        ((KeyValueStore<Bytes, byte[]>) stores.get(RelatedRowStores.storeName(table))).put(Bytes.wrap(key), change);
    }
}
