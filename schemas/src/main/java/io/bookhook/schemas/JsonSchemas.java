package io.bookhook.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The published JSON Schemas of bookhook's topics, loaded from the classpath, and a validator for each. */
public enum JsonSchemas {
    APPOINTMENT_EVENT("json-schema/appointment-event.schema.json"),
    DELIVERY_RECORD("json-schema/delivery-record.schema.json"),
    ENDPOINT_CONTROL("json-schema/endpoint-control.schema.json"),
    ENDPOINT_REPORT("json-schema/endpoint-report.schema.json");

    private final String resource;
    private volatile JsonSchema schema;

    JsonSchemas(String resource) {
        this.resource = resource;
    }

    public String resource() {
        return resource;
    }

    /** Every violation, as readable lines; empty when the document conforms. */
    public List<String> violations(JsonNode document) {
        return schema().validate(document).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private JsonSchema schema() {
        if (schema == null) {
            try (InputStream in = JsonSchemas.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("schema " + resource + " is not on the classpath");
                }
                schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema " + resource, e);
            }
        }
        return schema;
    }
}
