package io.bookhook.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    @Test
    void a_record_that_cannot_be_read_fails_naming_the_type_and_topic() {
        byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JsonSerde.of(DeliveryRecord.class).deserializer().deserialize("bookhook.delivery-ledger", garbage))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("cannot read DeliveryRecord from bookhook.delivery-ledger");
    }

    @Test
    void null_stays_null_both_ways_for_tombstones() {
        assertThat(JsonSerde.of(DeliveryRecord.class).serializer().serialize("t", null)).isNull();
        assertThat(JsonSerde.of(DeliveryRecord.class).deserializer().deserialize("t", null)).isNull();
    }
}
