package io.bookhook.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.schemas.EventType;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** BOOKHOOK_ENDPOINTS_FILE: the full example of the README reads as written; each bad input stops with its one line. */
class EndpointsFileTest {

    private static final String WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Map<String, String> ENV = Map.of("MAKE_WEBHOOK_SECRET", "make-secret", "CRM_SECRET", "crm-secret",
            "CRM_WHSEC", WHSEC + ", " + WHSEC.replace('M', 'N'), "SHORT_WHSEC", WHSEC + ",whsec_c2hvcnQ=");

    private static final String EXAMPLE = """
            endpoints:
              - name: make-bookings                # [a-z0-9-]{1,40}, unique, part of each delivery id
                url: https://hook.eu1.make.com/abc123
                secret_env: MAKE_WEBHOOK_SECRET    # variable holding the X-Make-Signature key
                signature: make                    # make | standard | both
                events: [created]                  # default: every event type
                salons: [1, 7]                     # default: every salon
                max_in_flight: 100                 # concurrent requests to this endpoint
                rate_per_second: 50                # optional cap
              - name: crm
                url: https://crm.example.com/hooks/bookings
                signature: standard
                standard_secrets_env: CRM_WHSEC
            """;

    @Test
    void reads_every_key_of_the_documented_example() {
        List<EndpointSettings> endpoints = parse(EXAMPLE);

        assertThat(endpoints).hasSize(2);
        EndpointSettings make = endpoints.get(0);
        assertThat(make.origin()).isEqualTo(EndpointSettings.Origin.FILE);
        assertThat(make.name()).isEqualTo("make-bookings");
        assertThat(make.url()).isEqualTo(URI.create("https://hook.eu1.make.com/abc123"));
        assertThat(make.secret()).isEqualTo("make-secret");
        assertThat(make.signatureMode()).isEqualTo(SignatureMode.MAKE);
        assertThat(make.events()).containsExactly(EventType.CREATED);
        assertThat(make.salons()).containsExactlyInAnyOrder("1", "7");
        assertThat(make.maxInFlight()).isEqualTo(100);
        assertThat(make.ratePerSecond()).isEqualTo(50);
        EndpointSettings crm = endpoints.get(1);
        assertThat(crm.signatureMode()).isEqualTo(SignatureMode.STANDARD);
        assertThat(crm.secret()).as("no X-Make-Signature key needed").isNull();
        assertThat(crm.standardSecrets()).hasSize(2);
        assertThat(crm.events()).as("default: all").isEmpty();
        assertThat(crm.salons()).isEmpty();
        assertThat(crm.maxInFlight()).isEqualTo(SinkSettings.DEFAULT_MAX_IN_FLIGHT);
        assertThat(crm.ratePerSecond()).isZero();
        assertThat(endpoints.toString()).doesNotContain("make-secret", "abc123", WHSEC.substring(6));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key          | {endpoints: [{name: a, url: 'https://x.example/h', secret_env: CRM_SECRET, evnts: [created]}]}  | BOOKHOOK_ENDPOINTS_FILE: endpoint 'a': unknown key 'evnts' (expected one of name, url, secret_env, signature, standard_secrets_env, events, salons, max_in_flight, rate_per_second)
            duplicate name       | {endpoints: [{name: a, url: 'https://x.example/h', secret_env: CRM_SECRET}, {name: a, url: 'https://y.example/h', secret_env: CRM_SECRET}]} | BOOKHOOK_ENDPOINTS_FILE: endpoint 'a' is named twice (#1 and #2)
            malformed name       | {endpoints: [{name: CRM!, url: 'https://x.example/h', secret_env: CRM_SECRET}]}                   | BOOKHOOK_ENDPOINTS_FILE: endpoint #1: name 'CRM!' must match [a-z0-9-]{1,40}
            no name              | {endpoints: [{url: 'https://x.example/h', secret_env: CRM_SECRET}]}                               | BOOKHOOK_ENDPOINTS_FILE: endpoint #1 has no name
            bad url scheme       | {endpoints: [{name: a, url: 'ftp://x.example/token', secret_env: CRM_SECRET}]}                    | BOOKHOOK_ENDPOINTS_FILE: endpoint 'a': url must be an absolute http(s) URL with a host, was ftp://x.example/…
            relative url         | {endpoints: [{name: a, url: '/token', secret_env: CRM_SECRET}]}                                    | BOOKHOOK_ENDPOINTS_FILE: endpoint 'a': url must be an absolute http(s) URL with a host, was a relative URL
            no url               | {endpoints: [{name: a, secret_env: CRM_SECRET}]}                                                  | BOOKHOOK_ENDPOINTS_FILE: endpoint 'a': url is required
            unset secret         | {endpoints: [{name: a, url: 'https://x.example/h', secret_env: NOPE_SECRET}]}                      | BOOKHOOK_ENDPOINTS_FILE: endpoint 'a': secret_env names NOPE_SECRET, which is not set
            no secret_env        | {endpoints: [{name: a, url: 'https://x.example/h'}]}                                              | BOOKHOOK_ENDPOINTS_FILE: endpoint 'a': secret_env is required (the name of the variable that holds the secret)
            unset standard       | {endpoints: [{name: a, url: 'https://x.example/h', signature: both, secret_env: CRM_SECRET, standard_secrets_env: NOPE}]} | BOOKHOOK_ENDPOINTS_FILE: endpoint 'a': standard_secrets_env names NOPE, which is not set
            bad standard secret  | {endpoints: [{name: a, url: 'https://x.example/h', signature: standard, standard_secrets_env: SHORT_WHSEC}]} | BOOKHOOK_ENDPOINTS_FILE: endpoint 'a': standard_secrets_env: secret 2 must decode to 24–64 bytes, was 5
            bad signature        | {endpoints: [{name: a, url: 'https://x.example/h', secret_env: CRM_SECRET, signature: hmac}]}      | BOOKHOOK_ENDPOINTS_FILE: endpoint 'a': signature must be make, standard or both, was 'hmac'
            unknown event type   | {endpoints: [{name: a, url: 'https://x.example/h', secret_env: CRM_SECRET, events: [created, cancelled]}]} | BOOKHOOK_ENDPOINTS_FILE: endpoint 'a': events has unknown event type 'cancelled' (known: created, confirmed)
            empty events         | {endpoints: [{name: a, url: 'https://x.example/h', secret_env: CRM_SECRET, events: []}]}          | BOOKHOOK_ENDPOINTS_FILE: endpoint 'a': events must be a list of event types (created, confirmed)
            salons not a list    | {endpoints: [{name: a, url: 'https://x.example/h', secret_env: CRM_SECRET, salons: 7}]}           | BOOKHOOK_ENDPOINTS_FILE: endpoint 'a': salons must be a list of salon ids
            max_in_flight zero   | {endpoints: [{name: a, url: 'https://x.example/h', secret_env: CRM_SECRET, max_in_flight: 0}]}    | BOOKHOOK_ENDPOINTS_FILE: endpoint 'a': max_in_flight must be a whole number from 1 to 10000, was 0
            max_in_flight text   | {endpoints: [{name: a, url: 'https://x.example/h', secret_env: CRM_SECRET, max_in_flight: many}]} | BOOKHOOK_ENDPOINTS_FILE: endpoint 'a': max_in_flight must be a whole number from 1 to 10000, was many
            negative rate        | {endpoints: [{name: a, url: 'https://x.example/h', secret_env: CRM_SECRET, rate_per_second: -1}]} | BOOKHOOK_ENDPOINTS_FILE: endpoint 'a': rate_per_second must be a positive number up to 100000, was -1
            no endpoints         | {endpoints: []}                                                                                   | BOOKHOOK_ENDPOINTS_FILE: test.yaml must hold a top-level 'endpoints:' list with at least one endpoint
            unknown top key      | {endpoints: [{name: a, url: 'https://x.example/h', secret_env: CRM_SECRET}], retries: 3}          | BOOKHOOK_ENDPOINTS_FILE: unknown top-level key 'retries' (expected endpoints)
            endpoint not a map   | {endpoints: [crm]}                                                                                | BOOKHOOK_ENDPOINTS_FILE: endpoint #1 must be a mapping of keys (name, url, …)
            """)
    void refuses_a_bad_input_with_one_line_naming_the_endpoint_and_the_key(String what, String yaml, String line) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(IllegalArgumentException.class).hasMessage(line);
    }

    @Test
    void refuses_text_that_is_not_yaml_and_a_file_that_cannot_be_read() {
        assertThatThrownBy(() -> parse("endpoints: [name: a\n  - : : ]"))
                .hasMessageStartingWith("BOOKHOOK_ENDPOINTS_FILE: test.yaml is not valid YAML at line ");
        assertThatThrownBy(() -> EndpointsFile.read(Path.of("/nonexistent/endpoints.yaml"), ENV_LOOKUP))
                .hasMessage("BOOKHOOK_ENDPOINTS_FILE: cannot read /nonexistent/endpoints.yaml (NoSuchFileException: /nonexistent/endpoints.yaml)");
    }

    @Test
    void a_private_target_in_the_file_is_refused_naming_the_endpoint_unless_allowed() {
        List<EndpointSettings> local = parse("{endpoints: [{name: local, url: 'http://127.0.0.1:9/h', secret_env: CRM_SECRET}]}");

        assertThatThrownBy(() -> SinkSettings.builder(Map.of("bootstrap.servers", "k:9092")).endpoints(local).build())
                .hasMessage("BOOKHOOK_ENDPOINTS_FILE: endpoint 'local': url points to a loopback or private address (127.0.0.1);"
                        + " set BOOKHOOK_ALLOW_PRIVATE_TARGETS=true to post there");
        assertThat(SinkSettings.builder(Map.of("bootstrap.servers", "k:9092")).endpoints(local).allowPrivateTargets(true).build().endpoints())
                .extracting(EndpointSettings::name).containsExactly("local");
    }

    @Test
    void buffering_must_fit_the_widest_endpoint_of_the_file() {
        List<EndpointSettings> wide = parse("{endpoints: [{name: wide, url: 'https://x.example/h', secret_env: CRM_SECRET, max_in_flight: 800}]}");

        assertThatThrownBy(() -> SinkSettings.builder(Map.of("bootstrap.servers", "k:9092")).endpoints(wide).maxBuffered(500).build())
                .hasMessage("BOOKHOOK_SINK_MAX_BUFFERED (500) must be at least BOOKHOOK_ENDPOINTS_FILE: endpoint 'wide': max_in_flight (800),"
                        + " or requests could never fill the endpoint's slots");
        assertThat(Set.copyOf(wide.get(0).events())).isEmpty();
    }

    private static final java.util.function.Function<String, Optional<String>> ENV_LOOKUP = name -> Optional.ofNullable(ENV.get(name));

    private static List<EndpointSettings> parse(String yaml) {
        return EndpointsFile.parse(yaml, "test.yaml", ENV_LOOKUP);
    }
}
