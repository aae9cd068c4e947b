package io.bookhook.sink;

/**
 * The environment variables of the sink's settings, named once: the launcher reads them, and every check of a
 * setting says which variable to fix.
 */
public final class SinkVariables {

    public static final String ENDPOINTS_FILE = "BOOKHOOK_ENDPOINTS_FILE";
    public static final String WEBHOOK_URL = "MAKE_WEBHOOK_URL";
    public static final String SECRET = "MAKE_WEBHOOK_SECRET";
    public static final String SIGNATURE_MODE = "BOOKHOOK_SIGNATURE_MODE";
    public static final String STANDARD_SECRETS = "BOOKHOOK_STANDARD_WEBHOOK_SECRETS";
    public static final String ALLOW_PRIVATE_TARGETS = "BOOKHOOK_ALLOW_PRIVATE_TARGETS";
    public static final String CONNECT_TIMEOUT = "BOOKHOOK_CONNECT_TIMEOUT";
    public static final String REQUEST_TIMEOUT = "BOOKHOOK_REQUEST_TIMEOUT";
    public static final String MAX_IN_FLIGHT = "BOOKHOOK_MAX_IN_FLIGHT";
    public static final String RETRY_MAX_ATTEMPTS = "BOOKHOOK_RETRY_MAX_ATTEMPTS";
    public static final String RETRY_FIRST_INTERVAL = "BOOKHOOK_RETRY_FIRST_INTERVAL";
    public static final String RETRY_MULTIPLIER = "BOOKHOOK_RETRY_MULTIPLIER";
    public static final String RETRY_MAX_INTERVAL = "BOOKHOOK_RETRY_MAX_INTERVAL";
    public static final String RETRY_JITTER = "BOOKHOOK_RETRY_JITTER";
    public static final String RETRY_AFTER_MAX = "BOOKHOOK_RETRY_AFTER_MAX";
    public static final String GONE_HOLD = "BOOKHOOK_GONE_HOLD";
    public static final String CIRCUIT_WINDOW = "BOOKHOOK_CIRCUIT_WINDOW";
    public static final String CIRCUIT_FAILURE_RATE = "BOOKHOOK_CIRCUIT_FAILURE_RATE";
    public static final String CIRCUIT_PROBE_INTERVAL = "BOOKHOOK_CIRCUIT_PROBE_INTERVAL";
    public static final String GROUP_ID = "BOOKHOOK_SINK_GROUP_ID";
    public static final String INSTANCE_ID = "BOOKHOOK_SINK_INSTANCE_ID";
    public static final String MAX_BUFFERED = "BOOKHOOK_SINK_MAX_BUFFERED";
    public static final String COMMIT_INTERVAL = "BOOKHOOK_SINK_COMMIT_INTERVAL";
    public static final String STATE_DIR = "BOOKHOOK_STATE_DIR";
    public static final String BOOTSTRAP_SERVERS = "BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS";

    private SinkVariables() {
    }
}
