package io.bookhook.app;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.LoggerFactory;

/**
 * The first thing a stage does with Kafka: one cluster description within {@code BOOKHOOK_KAFKA_CONNECT_TIMEOUT}.
 * Left to themselves the clients retry for ever and log "Connection to node -1 could not be established" every
 * second; this stops the stage with one line naming the servers and the two settings instead. A broker that refuses
 * the TLS handshake or the SASL login is named as such, with the settings to look at.
 */
final class KafkaReachability {

    static final String SERVERS_SETTING = SharedSettings.BOOTSTRAP_SERVERS.name();
    static final String JAAS_SETTING = Env.KAFKA_PREFIX + "SASL_JAAS_CONFIG";
    static final String MECHANISM_SETTING = Env.KAFKA_PREFIX + "SASL_MECHANISM";
    static final String TRUST_STORE_SETTING = Env.KAFKA_PREFIX + "SSL_TRUSTSTORE_LOCATION";

    private KafkaReachability() {
    }

    static void require(Map<String, String> kafkaClient, Duration within) throws InterruptedException {
        String servers = kafkaClient.get("bootstrap.servers");
        String unreachable = "Kafka is not reachable at " + servers + " within " + Durations.format(within) + " (" + SERVERS_SETTING + ", "
                + SharedSettings.KAFKA_CONNECT_TIMEOUT.name() + ")";
        Map<String, Object> config = new HashMap<>(kafkaClient);
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, within.toMillis());
        config.put("request.timeout.ms", timeoutMs);
        config.put("default.api.timeout.ms", timeoutMs);
        config.put("reconnect.backoff.max.ms", 1000);
        config.putIfAbsent("client.id", "bookhook-reachability");
        // While we wait, the client's reconnect warnings and its log of a failed login would only repeat what the one line below says.
        ch.qos.logback.classic.Logger clients = LoggerFactory.getLogger("org.apache.kafka.clients") instanceof ch.qos.logback.classic.Logger l ? l : null;
        Level before = clients == null ? null : clients.getLevel();
        if (clients != null) {
            clients.setLevel(Level.OFF);
        }
        Admin admin = null;
        try {
            admin = Admin.create(config);
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).clusterId().get(within.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (KafkaException e) {
            // Admin.create: no bootstrap address resolves, or the security settings are unusable.
            throw new PreflightException("Kafka is not reachable at " + servers + ": " + OneLineErrors.describe(e) + " (" + SERVERS_SETTING + ")", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new PreflightException(unreachable, e.getCause());
            }
            if (e.getCause() instanceof SslAuthenticationException) {
                // Kafka's own message is "SSL handshake failed"; the JDK's reason (an unknown CA, a name not in the certificate) is the root.
                throw new PreflightException("the TLS handshake with Kafka at " + servers + " failed: " + OneLineErrors.describe(e.getCause()) + " ("
                        + TRUST_STORE_SETTING + " and the other " + Env.KAFKA_PREFIX + "SSL_* settings)", e.getCause());
            }
            if (e.getCause() instanceof AuthenticationException) {
                // Kafka's message names the mechanism and never the password; the JAAS config holds the user and the password.
                throw new PreflightException("Kafka at " + servers + " refused bookhook's login: " + e.getCause().getMessage() + " ("
                        + JAAS_SETTING + ", " + MECHANISM_SETTING + ")", e.getCause());
            }
            throw new PreflightException("Kafka at " + servers + " refused bookhook: " + OneLineErrors.describe(e.getCause()) + " ("
                    + SERVERS_SETTING + " and the other " + Env.KAFKA_PREFIX + "* settings)", e.getCause());
        } catch (TimeoutException e) {
            throw new PreflightException(unreachable, e);
        } finally {
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
            if (clients != null) {
                clients.setLevel(before);
            }
        }
    }
}
