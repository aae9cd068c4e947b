package io.bookhook.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.derive.TableMapping;
import io.bookhook.embedded.EmbeddedKafka;
import io.bookhook.embedded.SharedEmbeddedStack;
import io.bookhook.schemas.TopicNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Topic creation and the cleanup-policy check, on the real embedded broker (one node). */
class TopicProvisionerIT {

    private static final TableMapping MAPPING = TableMapping.referenceSchema();
    private static final Map<String, String> KEEP_FOREVER = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete",
            TopicConfig.RETENTION_MS_CONFIG, "-1");
    private static EmbeddedKafka kafka;
    private static Admin admin;

    @BeforeAll
    static void broker() {
        kafka = SharedEmbeddedStack.get().kafka();
        admin = kafka.admin();
    }

    @AfterAll
    static void closeAdmin() {
        admin.close();
    }

    private static TopicNames freshTopics() {
        return TopicNames.prefixed(SharedEmbeddedStack.uniqueName("topics"));
    }

    // A topic just created may be unknown to the broker's metadata for a moment.
    private static String policy(String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return Awaitility.await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(
                () -> admin.describeConfigs(List.of(resource)).all().get().get(resource).get(TopicConfig.CLEANUP_POLICY_CONFIG).value(),
                Objects::nonNull);
    }

    private static Map<String, TopicDescription> describe(String... topics) {
        return Awaitility.await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(
                () -> admin.describeTopics(List.of(topics)).allTopicNames().get(), Objects::nonNull);
    }

    @Test
    void creates_missing_topics_with_the_configured_partitions_and_replication_and_the_right_policy() throws Exception {
        TopicNames topics = freshTopics();

        new TopicProvisioner(admin, new TopicProvisioner.Layout(4, Optional.of((short) 1))).ensure(topics, MAPPING);

        String appointments = topics.cdcTopic(MAPPING.appointmentTable());
        String customers = topics.cdcTopic(MAPPING.customerTable());
        Map<String, TopicDescription> described = describe(appointments, customers, topics.appointmentEvents(), topics.deliveryLedger());
        assertThat(described.values()).allSatisfy(topic -> {
            assertThat(topic.partitions()).hasSize(4);
            assertThat(topic.partitions().get(0).replicas()).hasSize(1);
        });
        assertThat(policy(topics.deliveryLedger())).isEqualTo("compact");
        assertThat(policy(customers)).isEqualTo("compact");
        assertThat(policy(appointments)).isEqualTo("delete");
        assertThat(policy(topics.appointmentEvents())).isEqualTo("delete");
        assertThat(policy(topics.deadLetter())).isEqualTo("delete");
        assertThat(policy(topics.deliveryRequests())).isEqualTo("delete");
        assertThat(policy(topics.deliveryIndex())).isEqualTo("compact");
        assertThat(policy(topics.endpointControl())).isEqualTo("compact");
        assertThat(policy(topics.endpointStatus())).isEqualTo("compact");
    }

    @Test
    void the_requests_and_the_delivery_index_follow_the_partitions_of_an_existing_events_topic() throws Exception {
        TopicNames topics = freshTopics();
        kafka.createTopic(topics.appointmentEvents(), 6, KEEP_FOREVER);

        new TopicProvisioner(admin, new TopicProvisioner.Layout(3, Optional.empty())).ensure(topics, MAPPING);

        assertThat(describe(topics.deliveryRequests(), topics.deliveryIndex()).values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(6));
        assertThat(describe(topics.deliveryLedger()).get(topics.deliveryLedger()).partitions()).as("the layout's own").hasSize(3);
    }

    @Test
    void the_replication_factor_reaches_the_broker() {
        // One broker cannot hold three replicas: the request carried the setting.
        TopicProvisioner threeReplicas = new TopicProvisioner(admin, new TopicProvisioner.Layout(1, Optional.of((short) 3)));
        TopicNames topics = freshTopics();

        assertThatThrownBy(() -> threeReplicas.ensure(topics, MAPPING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot create topic " + topics.cdcTopic(MAPPING.appointmentTable()))
                .hasMessageContaining("replication factor");
    }

    @Test
    void existing_topics_with_the_right_policy_are_kept_as_they_are() throws Exception {
        TopicNames topics = freshTopics();
        kafka.createTopic(topics.appointmentEvents(), 2, KEEP_FOREVER);
        kafka.createTopic(topics.deliveryLedger(), 2, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact"));
        TopicProvisioner provisioner = new TopicProvisioner(admin, new TopicProvisioner.Layout(5, Optional.empty()));

        provisioner.ensure(topics, MAPPING);
        provisioner.ensure(topics, MAPPING);

        assertThat(describe(topics.appointmentEvents()).get(topics.appointmentEvents()).partitions()).hasSize(2);
        assertThat(describe(topics.deadLetter()).get(topics.deadLetter()).partitions()).hasSize(5);
    }

    private static String config(String topic, String name) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return Awaitility.await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(
                () -> admin.describeConfigs(List.of(resource)).all().get().get(resource).get(name).value(), Objects::nonNull);
    }

    @Test
    void topics_that_delete_are_created_keeping_records_for_ever_or_for_the_retention_set() throws Exception {
        TopicNames forever = freshTopics();
        new TopicProvisioner(admin, 1).ensure(forever, MAPPING);
        TopicNames week = freshTopics();
        new TopicProvisioner(admin, new TopicProvisioner.Layout(1, Optional.empty(), Optional.of(Duration.ofDays(7)))).ensure(week, MAPPING);

        for (String topic : List.of(forever.appointmentEvents(), forever.cdcTopic(MAPPING.appointmentTable()), forever.deadLetter(),
                forever.deliveryRequests())) {
            assertThat(config(topic, TopicConfig.RETENTION_MS_CONFIG)).as(topic).isEqualTo("-1");
            assertThat(config(topic, TopicConfig.RETENTION_BYTES_CONFIG)).as(topic).isEqualTo("-1");
        }
        assertThat(config(week.appointmentEvents(), TopicConfig.RETENTION_MS_CONFIG)).isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
    }

    @Test
    void an_existing_topic_that_deletes_sooner_than_the_retention_stops_the_stage_naming_topic_retention_and_setting() throws Exception {
        TopicNames topics = freshTopics();
        kafka.createTopic(topics.appointmentEvents(), 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete")); // the broker's 7 days

        assertThatThrownBy(() -> new TopicProvisioner(admin, 1).ensure(topics, MAPPING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("topic " + topics.appointmentEvents() + " keeps records for 7d (retention.ms=604800000) but"
                        + " BOOKHOOK_TOPIC_RETENTION is forever: a stage down for longer would find its next records deleted."
                        + " Set retention.ms=-1 on it, or set BOOKHOOK_TOPIC_RETENTION to what the topic keeps");
        new TopicProvisioner(admin, new TopicProvisioner.Layout(1, Optional.empty(), Optional.of(Duration.ofDays(7)))).ensure(topics, MAPPING);
        assertThatThrownBy(() -> new TopicProvisioner(admin, new TopicProvisioner.Layout(1, Optional.empty(), Optional.of(Duration.ofDays(8))))
                .ensure(topics, MAPPING)).hasMessageContaining("BOOKHOOK_TOPIC_RETENTION is 8d");
    }

    @Test
    void an_existing_topic_that_deletes_by_size_stops_the_stage() {
        TopicNames topics = freshTopics();
        kafka.createTopic(topics.deadLetter(), 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete", TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "1073741824"));

        assertThatThrownBy(() -> new TopicProvisioner(admin, 1).ensure(topics, MAPPING))
                .hasMessageStartingWith("topic " + topics.deadLetter() + " deletes records by size (retention.bytes=1073741824)");
    }

    @Test
    void a_ledger_that_is_not_compacted_stops_the_stage_naming_topic_policy_and_setting() {
        TopicNames topics = freshTopics();
        kafka.createTopic(topics.deliveryLedger(), 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete"));

        assertThatThrownBy(() -> new TopicProvisioner(admin, 1).ensure(topics, MAPPING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("topic " + topics.deliveryLedger() + " exists with cleanup.policy=delete but bookhook needs compact")
                .hasMessageContaining("BOOKHOOK_TOPIC_LEDGER");
    }

    @Test
    void a_ledger_compacted_and_deleted_by_retention_is_refused_too() {
        TopicNames topics = freshTopics();
        kafka.createTopic(topics.deliveryLedger(), 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete"));

        assertThatThrownBy(() -> new TopicProvisioner(admin, 1).ensure(topics, MAPPING))
                .hasMessageStartingWith("topic " + topics.deliveryLedger() + " exists with cleanup.policy=compact,delete");
    }

    @Test
    void a_compacted_event_topic_stops_the_stage() {
        TopicNames topics = freshTopics();
        kafka.createTopic(topics.appointmentEvents(), 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact"));

        assertThatThrownBy(() -> new TopicProvisioner(admin, 1).ensure(topics, MAPPING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("topic " + topics.appointmentEvents() + " exists with cleanup.policy=compact but bookhook needs delete")
                .hasMessageContaining("BOOKHOOK_TOPIC_EVENTS");
    }

    @Test
    void a_compacted_appointment_change_topic_stops_the_stage() {
        TopicNames topics = freshTopics();
        String appointments = topics.cdcTopic(MAPPING.appointmentTable());
        kafka.createTopic(appointments, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact"));

        assertThatThrownBy(() -> new TopicProvisioner(admin, 1).ensure(topics, MAPPING))
                .hasMessageStartingWith("topic " + appointments + " exists with cleanup.policy=compact")
                .hasMessageContaining("BOOKHOOK_TOPIC_CDC_PREFIX");
    }

    @Test
    void topic_layout_settings_default_and_are_checked() {
        Map<String, String> env = Map.of("BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", "k:9092");
        assertThat(new BookhookSettings(env).topicLayout()).isEqualTo(new TopicProvisioner.Layout(3, Optional.empty()));

        Map<String, String> set = Map.of("BOOKHOOK_TOPIC_PARTITIONS", "12", "BOOKHOOK_TOPIC_REPLICATION_FACTOR", "3");
        assertThat(new BookhookSettings(set).topicLayout()).isEqualTo(new TopicProvisioner.Layout(12, Optional.of((short) 3)));

        assertThatThrownBy(() -> new BookhookSettings(Map.of("BOOKHOOK_TOPIC_REPLICATION_FACTOR", "0")).topicLayout())
                .isInstanceOf(SettingsException.class)
                .hasMessage("BOOKHOOK_TOPIC_REPLICATION_FACTOR must be between 1 and 32767, got 0");
        assertThatThrownBy(() -> new BookhookSettings(Map.of("BOOKHOOK_TOPIC_PARTITIONS", "many")).topicLayout())
                .hasMessage("BOOKHOOK_TOPIC_PARTITIONS must be a whole number, got 'many'");
    }
}
