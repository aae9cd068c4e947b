package io.bookhook.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.schemas.TopicNames;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SinkSettingsTest {

    private static final URI MAKE = URI.create("https://hook.eu1.make.com/abc123token");
    private static final String STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Map<String, String> KAFKA = Map.of("bootstrap.servers", "kafka:9092");

    @Test
    void fills_in_the_documented_defaults() {
        SinkSettings settings = SinkSettings.builder(MAKE, "s3cret", KAFKA).build();

        assertThat(settings.allowPrivateTargets()).isFalse();
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.retry()).isEqualTo(new RetrySchedule(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(10), 15, 0.2,
                Duration.ofMinutes(15)));
        assertThat(settings.maxAttempts()).isEqualTo(15);
        assertThat(settings.firstBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.endpoints()).singleElement().satisfies(make -> {
            assertThat(make.name()).isEqualTo("make");
            assertThat(make.origin()).isEqualTo(EndpointSettings.Origin.SEED);
            assertThat(make.signatureMode()).isEqualTo(SignatureMode.MAKE);
            assertThat(make.standardSecrets()).isEmpty();
            assertThat(make.maxInFlight()).isEqualTo(100);
            assertThat(make.events()).isEmpty();
            assertThat(make.salons()).isEmpty();
            assertThat(make.ratePerSecond()).isZero();
        });
        assertThat(settings.goneHold()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.topics()).isEqualTo(TopicNames.defaults());
        assertThat(settings.groupId()).isEqualTo("bookhook-sink");
        assertThat(settings.instanceId()).startsWith("bookhook-sink-").hasSizeGreaterThan("bookhook-sink-".length());
        assertThat(settings.transactionalId()).isEqualTo(settings.instanceId());
        assertThat(settings.maxBuffered()).isEqualTo(5_000);
        assertThat(settings.circuit()).isEqualTo(new CircuitSettings(20, 50, Duration.ofSeconds(5)));
        assertThat(settings.commitInterval()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void to_string_hides_the_secret_the_url_token_and_client_credentials() {
        SinkSettings settings = SinkSettings.builder(MAKE, "s3cret", Map.of(
                "bootstrap.servers", "kafka:9092",
                "sasl.jaas.config", "PlainLoginModule required username=\"u\" password=\"hunter2\";",
                "ssl.truststore.password", "trustpw",
                "ssl.key.password", "keypw",
                "security.protocol", "SASL_SSL"))
                .signatureMode(SignatureMode.BOTH).standardSecrets(List.of(STANDARD_SECRET)).build();

        assertThat(settings.toString())
                .doesNotContain("s3cret", "abc123token", "hunter2", "trustpw", "keypw", STANDARD_SECRET.substring(6))
                .contains("https://hook.eu1.make.com/***", "secrets=***", "security.protocol=SASL_SSL", "kafka:9092");
    }

    @Test
    void names_the_variable_in_every_refusal() {
        assertRefused(b -> b.connectTimeout(Duration.ZERO), "BOOKHOOK_CONNECT_TIMEOUT must be a positive duration, was PT0S");
        assertRefused(b -> b.requestTimeout(Duration.ofSeconds(-1)), "BOOKHOOK_REQUEST_TIMEOUT must be a positive duration, was PT-1S");
        assertRefused(b -> b.firstBackoff(null), "BOOKHOOK_RETRY_FIRST_INTERVAL must be a positive duration, was null");
        assertRefused(b -> b.maxAttempts(0), "BOOKHOOK_RETRY_MAX_ATTEMPTS must be >= 1, was 0");
        assertRefused(b -> b.retryMultiplier(0.5), "BOOKHOOK_RETRY_MULTIPLIER must be 1–100, was 0.5");
        assertRefused(b -> b.retryJitter(1.0), "BOOKHOOK_RETRY_JITTER must be >= 0 and < 1, was 1.0");
        assertRefused(b -> b.maxBackoff(Duration.ofMillis(10)),
                "BOOKHOOK_RETRY_MAX_INTERVAL (PT0.01S) must not be below BOOKHOOK_RETRY_FIRST_INTERVAL (PT5S)");
        assertRefused(b -> b.maxRetryAfter(Duration.ZERO), "BOOKHOOK_RETRY_AFTER_MAX must be a positive duration, was PT0S");
        assertRefused(b -> b.goneHold(Duration.ZERO), "BOOKHOOK_GONE_HOLD must be a positive duration, was PT0S");
        assertRefused(b -> b.maxInFlight(0), "BOOKHOOK_MAX_IN_FLIGHT must be between 1 and 10000, was 0");
        assertRefused(b -> b.maxInFlight(500).maxBuffered(400), "BOOKHOOK_SINK_MAX_BUFFERED (400) must be at least BOOKHOOK_MAX_IN_FLIGHT (500),"
                + " or requests could never fill the endpoint's slots");
        assertRefused(b -> b.commitInterval(Duration.ZERO), "BOOKHOOK_SINK_COMMIT_INTERVAL must be a positive duration, was PT0S");
        assertThatThrownBy(() -> new CircuitSettings(0, 50, Duration.ofSeconds(5)))
                .hasMessage("BOOKHOOK_CIRCUIT_WINDOW must be 1–10000 attempts, was 0");
        assertThatThrownBy(() -> new CircuitSettings(20, 101, Duration.ofSeconds(5)))
                .hasMessage("BOOKHOOK_CIRCUIT_FAILURE_RATE must be 1–100 percent, was 101");
        assertThatThrownBy(() -> new CircuitSettings(20, 50, Duration.ZERO))
                .hasMessage("BOOKHOOK_CIRCUIT_PROBE_INTERVAL must be a positive duration, was PT0S");
        assertRefused(b -> b.signatureMode(SignatureMode.STANDARD),
                "BOOKHOOK_STANDARD_WEBHOOK_SECRETS must hold at least one whsec_ secret when BOOKHOOK_SIGNATURE_MODE is standard");
        assertRefused(b -> b.standardSecrets(List.of(STANDARD_SECRET, "whsec_c2hvcnQ=")),
                "BOOKHOOK_STANDARD_WEBHOOK_SECRETS: secret 2 must decode to 24–64 bytes, was 5");
        assertThatThrownBy(() -> SignatureMode.parse("hmac")).hasMessage("signature mode must be make, standard or both, was hmac");
        assertThat(SignatureMode.parse(" Both ")).isEqualTo(SignatureMode.BOTH);
        assertRefused(b -> b.groupId(" "), "BOOKHOOK_SINK_GROUP_ID must not be empty");
        assertRefused(b -> b.instanceId(""), "BOOKHOOK_SINK_INSTANCE_ID must not be empty");
        assertThatThrownBy(() -> SinkSettings.builder(MAKE, " ", KAFKA).build()).hasMessage("MAKE_WEBHOOK_SECRET must not be empty");
        assertThatThrownBy(() -> SinkSettings.builder(MAKE, "s", Map.of("security.protocol", "SSL")).build())
                .hasMessage("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS must be set");
        assertThatThrownBy(() -> SinkSettings.builder(URI.create("ftp://host/x"), "s", KAFKA).build())
                .hasMessage("MAKE_WEBHOOK_URL must be an absolute http(s) URL with a host, was ftp://host/…");
        assertThatThrownBy(() -> SinkSettings.builder(URI.create("/relative/token"), "s", KAFKA).build())
                .hasMessage("MAKE_WEBHOOK_URL must be an absolute http(s) URL with a host, was a relative URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/x", "http://localhost/x", "http://10.1.2.3/x", "http://192.168.0.5/x",
            "http://172.16.0.1/x", "http://169.254.169.254/latest", "http://[::1]/x", "http://[fd00::1]/x", "http://0.0.0.0/x",
            "http://2130706433/x", "http://[::ffff:7f00:1]/x", "http://[::ffff:a9fe:a9fe]/x",
            "http://100.64.0.1/x", "http://[fd00:ec2::254]/x"})
    void refuses_private_literal_targets_unless_allowed(String url) {
        URI target = URI.create(url);

        assertThatThrownBy(() -> SinkSettings.builder(target, "s", KAFKA).build())
                .hasMessage("MAKE_WEBHOOK_URL points to a loopback or private address (" + target.getHost()
                        + "); set BOOKHOOK_ALLOW_PRIVATE_TARGETS=true to post there");
        assertThat(SinkSettings.builder(target, "s", KAFKA).allowPrivateTargets(true).build().endpoints().get(0).url()).isEqualTo(target);
    }

    @Test
    void accepts_public_names_and_addresses() {
        assertThat(SinkSettings.builder(URI.create("http://8.8.8.8/x"), "s", KAFKA).build()).isNotNull();
        assertThat(SinkSettings.builder(URI.create("https://hook.eu1.make.com/x"), "s", KAFKA).build()).isNotNull();
    }

    private static void assertRefused(java.util.function.UnaryOperator<SinkSettingsBuilder> change, String message) {
        assertThatThrownBy(() -> change.apply(SinkSettings.builder(MAKE, "s3cret", KAFKA)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
