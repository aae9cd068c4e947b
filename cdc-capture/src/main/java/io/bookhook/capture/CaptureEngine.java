package io.bookhook.capture;

import io.bookhook.runtime.Causes;
import io.bookhook.runtime.Readiness;
import io.bookhook.runtime.Stage;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Debezium embedded Postgres connector writing raw change topics. The engine reports a dying connector
 * only through its completion callback, so that callback completes {@link #stopped()}: whoever runs capture
 * waits on it and stops with its one-line reason instead of hanging. Ready once the replication slot is read.
 */
public final class CaptureEngine implements Stage {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureEngine.class);

    private final CaptureSettings settings;
    private final Producer<byte[], byte[]> producer;
    private final DebeziumEngine<ChangeEvent<String, String>> engine;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "bookhook-capture"));
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Readiness readiness;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final KafkaChangePublisher publisher;
    private volatile boolean streaming;

    private CaptureEngine(CaptureSettings settings) {
        this.settings = settings;
        this.readiness = Readiness.of(this::isStreaming, "the replication slot '" + settings.slotName() + "' to be read");
        this.producer = new KafkaProducer<>(producerConfig(settings), new ByteArraySerializer(), new ByteArraySerializer());
        this.publisher = new KafkaChangePublisher(producer, settings.topics(), Set.copyOf(settings.tables()), settings.maxMessageBytes());
        this.engine = DebeziumEngine.create(Json.class)
                .using(DebeziumProperties.of(settings))
                .notifying(publisher)
                .using(this::onCompletion)
                .build();
    }

    /** Checks the database, then starts streaming on a thread of its own. */
    public static CaptureEngine start(CaptureSettings settings) {
        CapturePreflight.check(settings);
        SlotContinuityCheck.check(settings);
        CaptureEngine capture = new CaptureEngine(settings);
        capture.executor.execute(capture.engine);
        return capture;
    }

    /**
     * Streaming: the replication slot has been read since start, and capture has not stopped. Rows committed after that
     * are captured as changes; rows committed before the slot existed are only seen by the snapshot, which derives
     * nothing. Until it first sees the slot read, each call asks Postgres.
     */
    public boolean isStreaming() {
        if (!streaming && !stopped.isDone() && slotIsActive()) {
            streaming = true;
        }
        return streaming && !stopped.isDone();
    }

    @Override
    public Readiness readiness() {
        return readiness;
    }

    /** Completes when the engine stops; exceptionally, with a {@link CaptureFailedException}, when the connector died. */
    @Override
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    private boolean slotIsActive() {
        PostgresConnection pg = settings.postgres();
        try (Connection connection = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                PreparedStatement statement = connection.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, settings.slotName());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            LOG.debug("slot check failed, will retry", e);
            return false;
        }
    }

    private void onCompletion(boolean success, String message, Throwable error) {
        if (success) {
            LOG.info("capture stopped: {}", message);
            stopped.complete(null);
        } else {
            LOG.error("capture failed: {}", message, error);
            stopped.completeExceptionally(new CaptureFailedException("capture failed: " + rootMessage(message, error), error));
        }
    }

    private static String rootMessage(String message, Throwable error) {
        String detail = error == null ? null : Causes.root(error).getMessage();
        return CapturePreflight.firstLine(detail != null ? detail : message);
    }

    private static Map<String, Object> producerConfig(CaptureSettings settings) {
        Map<String, Object> config = new HashMap<>(settings.kafkaClient());
        config.put("acks", "all");
        config.put("enable.idempotence", "true");
        config.put("linger.ms", "5");
        config.put("compression.type", "lz4");
        // The limit a change is measured against: one over it is dead-lettered (KafkaChangePublisher), not retried.
        config.put("max.request.size", settings.maxMessageBytes());
        config.put("client.id", settings.engineName() + "-producer");
        return config;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            publisher.stopPublishing();
            engine.close();
        } catch (IOException e) {
            LOG.warn("closing the capture engine failed: {}", e.toString());
        } finally {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("capture engine did not stop within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close(Duration.ofSeconds(10));
        }
    }
}
