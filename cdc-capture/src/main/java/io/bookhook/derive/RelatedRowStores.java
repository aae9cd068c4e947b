package io.bookhook.derive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.Json;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Looks related rows up in global stores that hold each table's raw change events, keyed by the raw Debezium
 * key. Storing the raw bytes makes the store the same whether Kafka Streams restores it by copying the topic
 * or by replaying it through the update processor.
 */
final class RelatedRowStores implements RelatedRows {

    private final ProcessorContext<?, ?> context;
    private final TableMapping mapping;

    RelatedRowStores(ProcessorContext<?, ?> context, TableMapping mapping) {
        this.context = context;
        this.mapping = mapping;
    }

    static String storeName(String table) {
        return "rows-" + table;
    }

    @Override
    public ObjectNode find(String table, String id) {
        KeyValueStore<Bytes, byte[]> store = context.getStateStore(storeName(table));
        byte[] change = store.get(Bytes.wrap(debeziumKey(id)));
        if (change == null) {
            return null;
        }
        try {
            RawChange parsed = RawChange.parse(change);
            return parsed.op() == RawChange.Operation.DELETE ? null : parsed.after();
        } catch (BadChangeException e) {
            return null;
        }
    }

    /** Debezium's JSON key of a single-column primary key, byte for byte: {@code {"id":5}}. */
    private byte[] debeziumKey(String id) {
        ObjectNode key = Json.mapper().createObjectNode();
        if (id.matches("-?\\d{1,18}")) {
            key.put(mapping.idColumn(), Long.parseLong(id));
        } else {
            key.put(mapping.idColumn(), id);
        }
        return key.toString().getBytes(StandardCharsets.UTF_8);
    }
}
