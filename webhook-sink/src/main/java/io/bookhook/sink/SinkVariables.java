package io.bookhook.sink;

import io.bookhook.runtime.settings.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The sink's environment variables, each declared once with its default and the rules its value meets: the launcher
 * reads them through these declarations ({@link SinkSettings#read}), the settings records check the values they are given
 * against the same rules, and every refusal names the variable to fix.
 */
public final class SinkVariables {

    public static final Setting<String> ENDPOINTS_FILE = Setting.optionalText("BOOKHOOK_ENDPOINTS_FILE", "");
    /** Required without an endpoints file. Never echoed: a Make.com URL's path is its access token. */
    public static final Setting<URI> WEBHOOK_URL = Setting.custom("MAKE_WEBHOOK_URL", "an absolute http:// or https:// URL", URI::create,
                    null, null)
            .must(url -> url.getHost() != null && url.getScheme() != null
                    && Set.of("http", "https").contains(url.getScheme().toLowerCase(Locale.ROOT)), "be an absolute http:// or https:// URL")
            .required().secret().documentedAs("(required without an endpoints file)");
    public static final Setting<String> SECRET = Setting.requiredText("MAKE_WEBHOOK_SECRET").secret();
    public static final Setting<SignatureMode> SIGNATURE_MODE = Setting.custom("BOOKHOOK_SIGNATURE_MODE", "make, standard or both",
            SignatureMode::parse, SignatureMode.MAKE, "make");
    /** Required when the signature mode is standard or both. */
    public static final Setting<List<String>> STANDARD_SECRETS = Setting.list("BOOKHOOK_STANDARD_WEBHOOK_SECRETS").secret()
            .documentedAs("(required for `standard`/`both`)");
    public static final Setting<Boolean> ALLOW_PRIVATE_TARGETS = Setting.flag("BOOKHOOK_ALLOW_PRIVATE_TARGETS", false);
    public static final Setting<Duration> CONNECT_TIMEOUT = Setting.positiveDuration("BOOKHOOK_CONNECT_TIMEOUT", Duration.ofSeconds(5));
    public static final Setting<Duration> REQUEST_TIMEOUT = Setting.positiveDuration("BOOKHOOK_REQUEST_TIMEOUT", Duration.ofSeconds(15));
    public static final Setting<Integer> MAX_IN_FLIGHT = Setting.integer("BOOKHOOK_MAX_IN_FLIGHT", 100, 1, EndpointSettings.MAX_MAX_IN_FLIGHT);
    /*
     * The retry schedule's defaults suit a Make.com scenario that is down for an hour: waits of 5 s, 10 s, 20 s … capped
     * at 10 min, 15 attempts, spanning about 80 minutes (at least 64 with the jitter) before a delivery is recorded failed.
     */
    public static final Setting<Integer> RETRY_MAX_ATTEMPTS = Setting.integer("BOOKHOOK_RETRY_MAX_ATTEMPTS", 15, "15")
            .must(attempts -> attempts >= 1, "be >= 1").must(attempts -> attempts <= 1000, "be at most 1000");
    public static final Setting<Duration> RETRY_FIRST_INTERVAL = Setting.positiveDuration("BOOKHOOK_RETRY_FIRST_INTERVAL", Duration.ofSeconds(5));
    public static final Setting<Double> RETRY_MULTIPLIER = Setting.decimal("BOOKHOOK_RETRY_MULTIPLIER", 2.0)
            .must(factor -> factor >= 1.0 && factor <= 100.0, "be 1–100");
    public static final Setting<Duration> RETRY_MAX_INTERVAL = Setting.positiveDuration("BOOKHOOK_RETRY_MAX_INTERVAL", Duration.ofMinutes(10));
    /** The schedule works with any fraction below 1 (its invariant, the first rule); the variable stops at 0.99. */
    public static final Setting<Double> RETRY_JITTER = Setting.decimal("BOOKHOOK_RETRY_JITTER", 0.2)
            .must(fraction -> fraction >= 0.0 && fraction < 1.0, "be >= 0 and < 1").must(fraction -> fraction <= 0.99, "be at most 0.99");
    public static final Setting<Duration> RETRY_AFTER_MAX = Setting.positiveDuration("BOOKHOOK_RETRY_AFTER_MAX", Duration.ofMinutes(15));
    public static final Setting<Duration> GONE_HOLD = Setting.positiveDuration("BOOKHOOK_GONE_HOLD", Duration.ofMinutes(5));
    public static final Setting<Integer> CIRCUIT_WINDOW = Setting.integer("BOOKHOOK_CIRCUIT_WINDOW", 20, "20")
            .must(window -> window >= 1 && window <= 10_000, "be 1–10000 attempts");
    public static final Setting<Integer> CIRCUIT_FAILURE_RATE = Setting.integer("BOOKHOOK_CIRCUIT_FAILURE_RATE", 50, "50")
            .must(percent -> percent >= 1 && percent <= 100, "be 1–100 percent");
    public static final Setting<Duration> CIRCUIT_PROBE_INTERVAL = Setting.positiveDuration("BOOKHOOK_CIRCUIT_PROBE_INTERVAL", Duration.ofSeconds(5));
    public static final Setting<String> GROUP_ID = Setting.text("BOOKHOOK_SINK_GROUP_ID", "bookhook-sink");
    /** Unset: {@code bookhook-sink-<host name>} ({@link SinkSettings#defaultInstanceId()}). */
    public static final Setting<String> INSTANCE_ID = Setting.optionalText("BOOKHOOK_SINK_INSTANCE_ID", "bookhook-sink-<host name>");
    public static final Setting<Integer> MAX_BUFFERED = Setting.integer("BOOKHOOK_SINK_MAX_BUFFERED", 5_000, 1, 1_000_000);
    /** How long a final ledger record keeps its payload (customer data); then the sink rewrites it without. */
    public static final Setting<Optional<Duration>> LEDGER_PAYLOAD_RETENTION = Setting.retention("BOOKHOOK_LEDGER_PAYLOAD_RETENTION",
            Duration.ofDays(30));
    public static final Setting<Duration> COMMIT_INTERVAL = Setting.positiveDuration("BOOKHOOK_SINK_COMMIT_INTERVAL", Duration.ofMillis(100));

    /** Every variable the sink reads itself; Kafka, the topics, the state directory and the mapping are composed in by the caller. */
    public static final List<Setting<?>> DECLARED = List.of(ENDPOINTS_FILE, WEBHOOK_URL, SECRET, SIGNATURE_MODE, STANDARD_SECRETS,
            ALLOW_PRIVATE_TARGETS, CONNECT_TIMEOUT, REQUEST_TIMEOUT, MAX_IN_FLIGHT, RETRY_MAX_ATTEMPTS, RETRY_FIRST_INTERVAL,
            RETRY_MULTIPLIER, RETRY_MAX_INTERVAL, RETRY_JITTER, RETRY_AFTER_MAX, GONE_HOLD, CIRCUIT_WINDOW, CIRCUIT_FAILURE_RATE,
            CIRCUIT_PROBE_INTERVAL, GROUP_ID, INSTANCE_ID, MAX_BUFFERED, COMMIT_INTERVAL, LEDGER_PAYLOAD_RETENTION);

    /** Not the sink's own: named in its checks of the Kafka client settings it is given. */
    static final String BOOTSTRAP_SERVERS = "BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS";
    /** Not the sink's own: the mapping's salon column, named in its check. */
    static final String SALON_ID_COLUMN = "BOOKHOOK_COLUMN_SALON_ID";

    private SinkVariables() {
    }
}
