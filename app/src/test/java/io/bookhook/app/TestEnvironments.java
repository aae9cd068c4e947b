package io.bookhook.app;

import io.bookhook.embedded.EmbeddedStack;
import java.util.HashMap;
import java.util.Map;

/** The environment a whole pipeline reads in a test: the shared stack, and names of its own for everything a run owns. */
final class TestEnvironments {

    private TestEnvironments() {
    }

    /** Database {@code name} (created by the caller); slot, publication, topics, groups and state all named after it. */
    static Map<String, String> pipeline(EmbeddedStack stack, String name, String webhookUrl, String secret) {
        Map<String, String> environment = new HashMap<>();
        environment.put("MAKE_WEBHOOK_URL", webhookUrl);
        environment.put("MAKE_WEBHOOK_SECRET", secret);
        environment.put("BOOKHOOK_ALLOW_PRIVATE_TARGETS", "true");
        environment.put("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers());
        environment.put("BOOKHOOK_POSTGRES_HOST", stack.postgres().host());
        environment.put("BOOKHOOK_POSTGRES_PORT", Integer.toString(stack.postgres().port()));
        environment.put("BOOKHOOK_POSTGRES_DB", name);
        environment.put("BOOKHOOK_POSTGRES_USER", stack.postgres().user());
        environment.put("BOOKHOOK_POSTGRES_PASSWORD", stack.postgres().password());
        environment.put("BOOKHOOK_SLOT_NAME", name);
        environment.put("BOOKHOOK_PUBLICATION_NAME", name);
        environment.put("BOOKHOOK_CAPTURE_NAME", name);
        environment.put("BOOKHOOK_CAPTURE_OFFSET_TOPIC", name + ".offsets");
        environment.put("BOOKHOOK_TOPIC_CDC_PREFIX", name + ".cdc.");
        environment.put("BOOKHOOK_TOPIC_EVENTS", name + ".events");
        environment.put("BOOKHOOK_TOPIC_LEDGER", name + ".ledger");
        environment.put("BOOKHOOK_TOPIC_DEAD_LETTER", name + ".dead-letter");
        environment.put("BOOKHOOK_TOPIC_DELIVERY_REQUESTS", name + ".delivery-requests");
        environment.put("BOOKHOOK_DERIVE_APPLICATION_ID", name + "-derive");
        environment.put("BOOKHOOK_TOPIC_DELIVERY_INDEX", name + ".delivery-index");
        environment.put("BOOKHOOK_TOPIC_ENDPOINT_CONTROL", name + ".endpoint-control");
        environment.put("BOOKHOOK_TOPIC_ENDPOINT_STATUS", name + ".endpoint-status");
        environment.put("BOOKHOOK_SINK_GROUP_ID", name + "-sink");
        environment.put("BOOKHOOK_SINK_INSTANCE_ID", name + "-sink");
        environment.put("BOOKHOOK_STATE_DIR", stack.workDir().resolve(name + "-state").toString());
        return environment;
    }
}
