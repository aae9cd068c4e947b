package io.bookhook.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EmbeddedStackIT {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStackIT.class);

    @Test
    void startsBothComponentsAndCleansUpOnClose() throws Exception {
        Path workDir;
        try (EmbeddedStack stack = EmbeddedStack.start()) {
            workDir = stack.workDir();
            LOG.info("Start-up: Kafka {} ms, Postgres {} ms",
                    stack.kafkaStartup().toMillis(), stack.postgresStartup().toMillis());
            assertThat(workDir).isDirectory().hasParent(StaleRunCleaner.defaultBase());
            assertThat(stack.kafkaStartup()).isPositive();
            assertThat(stack.postgresStartup()).isPositive();

            String topic = SharedEmbeddedStack.uniqueName("stack");
            stack.kafka().createTopic(topic, 1, Map.of("cleanup.policy", "compact"));
            try (Admin admin = stack.kafka().admin()) {
                assertThat(admin.listTopics().names().get()).contains(topic);
            }
            try (Connection c = stack.postgres().dataSource().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW wal_level")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("logical");
            }
        }
        assertThat(workDir).doesNotExist();
    }

    @Test
    void sharedStackIsOneInstancePerJvm() {
        EmbeddedStack first = SharedEmbeddedStack.get();
        assertThat(SharedEmbeddedStack.get()).isSameAs(first);
        assertThat(first.kafka().isRunning()).isTrue();
    }

    @Test
    void uniqueNamesAreDistinctAndSafeEverywhere() {
        String a = SharedEmbeddedStack.uniqueName("My-Topic.x");
        String b = SharedEmbeddedStack.uniqueName("My-Topic.x");
        assertThat(a).isNotEqualTo(b).matches("[a-z0-9_]+").startsWith("my_topic_x_");
    }
}
