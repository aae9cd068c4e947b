package io.bookhook.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The optional SASL_SSL listener: a client that trusts the test CA and knows the password gets in, and only that client. */
class EmbeddedKafkaSaslSslIT {

    private static Path runDir;
    private static TestCertificates certificates;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        runDir = StaleRunCleaner.newRunDir(StaleRunCleaner.defaultBase());
        certificates = TestCertificates.generate(runDir.resolve("tls"), "bookhook-test-ca", "store-secret");
        kafka = EmbeddedKafka.startWithSaslSsl(runDir.resolve("kafka"), new SaslSslListener(certificates, "bookhook", "right-password"));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
        Directories.deleteQuietly(runDir);
    }

    @Test
    void a_client_with_the_password_and_the_ca_creates_and_lists_a_topic() throws Exception {
        String topic = SharedEmbeddedStack.uniqueName("secured");
        try (Admin admin = Admin.create(client("right-password", certificates.trustStore()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topic);
        }
        assertThat(kafka.saslSslBootstrapServers()).isNotEqualTo(kafka.bootstrapServers());
    }

    @Test
    void a_wrong_password_is_refused_as_an_authentication_failure() {
        try (Admin admin = Admin.create(client("wrong-password", certificates.trustStore()))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void a_client_that_trusts_another_ca_fails_the_tls_handshake() {
        TestCertificates other = TestCertificates.generate(runDir.resolve("other-tls"), "another-ca", "store-secret");
        try (Admin admin = Admin.create(client("right-password", other.trustStore()))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SslAuthenticationException.class);
        }
    }

    private static Map<String, Object> client(String password, Path trustStore) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", kafka.saslSslBootstrapServers());
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", SaslSslListener.MECHANISM);
        config.put("sasl.jaas.config", SaslSslListener.clientJaasConfig("bookhook", password));
        config.put("ssl.truststore.location", trustStore.toString());
        config.put("ssl.truststore.password", certificates.password());
        config.put("ssl.truststore.type", TestCertificates.STORE_TYPE);
        config.put("request.timeout.ms", 10_000);
        config.put("default.api.timeout.ms", 20_000);
        return config;
    }
}
