package io.bookhook.derive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Looks related rows up in global stores that hold each table's raw change events, keyed by the raw Debezium
 * key. Storing the raw bytes makes the store the same whether Kafka Streams restores it by copying the topic
 * or by replaying it through the update processor.
 */
final class RelatedRowStores implements RelatedRows {

    private static final Pattern INTEGER_ID = Pattern.compile("-?\\d{1,18}");
    /** Enough for the salons, stylists, services and the customers booking now; bounded so history never piles up. */
    static final int PARSED_ROWS_KEPT = 10_000;

    private final ProcessorContext<?, ?> context;
    private final TableMapping mapping;
    /**
     * The last rows parsed, with the raw change they came from: most events name a salon, stylist and service seen a
     * moment ago, and parsing their changes again was most of derive's time in a backlog.
     */
    private final Map<String, ParsedRow> parsed = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ParsedRow> eldest) {
            return size() > PARSED_ROWS_KEPT;
        }
    };

    private record ParsedRow(byte[] change, ObjectNode row) {
    }

    RelatedRowStores(ProcessorContext<?, ?> context, TableMapping mapping) {
        this.context = context;
        this.mapping = mapping;
    }

    static String storeName(String table) {
        return "rows-" + table;
    }

    /** The row is shared with later lookups of the same change: read it, copy it to change it. */
    @Override
    public ObjectNode find(String table, String id) {
        KeyValueStore<Bytes, byte[]> store = context.getStateStore(storeName(table));
        byte[] change = store.get(Bytes.wrap(debeziumKey(mapping.idColumnOf(table), id)));
        if (change == null) {
            return null;
        }
        String cacheKey = table + '/' + id;
        ParsedRow known = parsed.get(cacheKey);
        if (known != null && Arrays.equals(known.change(), change)) {
            return known.row();
        }
        ObjectNode row;
        try {
            RawChange raw = RawChange.parse(change);
            row = raw.op() == RawChange.Operation.DELETE ? null : raw.after();
        } catch (BadChangeException e) {
            row = null;
        }
        parsed.put(cacheKey, new ParsedRow(change, row));
        return row;
    }

    /** Debezium's JSON key of a single-column primary key (the table's mapped id column), byte for byte: {@code {"id":5}}. */
    private static byte[] debeziumKey(String idColumn, String id) {
        ObjectNode key = Json.mapper().createObjectNode();
        if (INTEGER_ID.matcher(id).matches()) {
            key.put(idColumn, Long.parseLong(id));
        } else {
            key.put(idColumn, id);
        }
        return key.toString().getBytes(StandardCharsets.UTF_8);
    }
}
