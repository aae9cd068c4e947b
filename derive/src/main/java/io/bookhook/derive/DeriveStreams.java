package io.bookhook.derive;

import io.bookhook.runtime.Causes;
import io.bookhook.runtime.Readiness;
import io.bookhook.runtime.Stage;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the derive topology: exactly-once, no record cache, short commits, and a failure that surfaces. Ready when RUNNING. */
public final class DeriveStreams implements Stage {

    private static final Logger LOG = LoggerFactory.getLogger(DeriveStreams.class);

    private final KafkaStreams streams;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Readiness readiness = Readiness.of(() -> state() == KafkaStreams.State.RUNNING, "Kafka Streams to reach RUNNING");

    private DeriveStreams(DeriveSettings settings, String resetPolicy) {
        Properties config = streamsConfig(settings);
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), resetPolicy);
        this.streams = new KafkaStreams(DeriveTopology.build(settings), config);
        streams.setUncaughtExceptionHandler(error -> {
            if (causedByMissingSourceTopic(error)) {
                // Its topics were there at start (the stage ensures them): right after a broker restart the consumer's
                // metadata can miss them for a moment. A new stream thread reads fresh metadata; under exactly-once
                // it resumes from the last committed transaction.
                LOG.warn("derive's source topics look missing (stale metadata after a broker restart?): restarting its stream thread: {}",
                        error.toString());
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            LOG.error("derive failed", error);
            stopped.completeExceptionally(error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((newState, oldState) -> {
            if (newState == KafkaStreams.State.NOT_RUNNING || newState == KafkaStreams.State.ERROR) {
                stopped.complete(null);
            }
        });
    }

    static boolean causedByMissingSourceTopic(Throwable error) {
        return Causes.find(error, MissingSourceTopicException.class).isPresent();
    }

    /** Stops with one line, before anything runs, when derive's committed position in its source is gone from the log. */
    public static DeriveStreams start(DeriveSettings settings) throws InterruptedException {
        SourceOffsets source = SourceOffsets.read(settings.kafkaClient(), settings.applicationId(),
                settings.topics().cdcTopic(settings.mapping().appointmentTable()));
        source.requireNoGap();
        DeriveStreams derive = new DeriveStreams(settings, source.resetPolicy());
        derive.streams.start();
        return derive;
    }

    @Override
    public Readiness readiness() {
        return readiness;
    }

    @Override
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * How long an instance that died without leaving (kill -9, a lost node) keeps its partitions: their appointments
     * wait that long for another instance. Kafka's default is 45 s; like the sink's, BOOKHOOK_KAFKA_SESSION_TIMEOUT_MS
     * overrides it.
     */
    static final int DEFAULT_SESSION_TIMEOUT_MS = 15_000;

    static Properties streamsConfig(DeriveSettings settings) {
        Properties props = new Properties();
        // Unprefixed, so the operator's session.timeout.ms (BOOKHOOK_KAFKA_SESSION_TIMEOUT_MS) replaces them.
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, DEFAULT_SESSION_TIMEOUT_MS);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, DEFAULT_SESSION_TIMEOUT_MS / 5);
        props.putAll(settings.kafkaClient());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // No record cache: every derived event must reach the output, never be merged with the next one.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        // Chosen on purpose: sources are read as bytes, so a record that cannot be read reaches the processor,
        // which dead-letters it with a reason. Anything that still throws is a bug or a broken broker: stop
        // loudly rather than skip an appointment change and lose its event.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndFailExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndFailProcessingExceptionHandler.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DefaultProductionExceptionHandler.class);
        // The handler above (log and fail) for the related rows' global tables too, as Kafka Streams 5 will do by default:
        // an exception there stops derive either way. Off, Kafka Streams warns at every start, once for the application
        // and once for the main consumer's assignor, which reads its own copy of the config.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        return props;
    }

    /**
     * Leaves the consumer group on the way out: by default Kafka Streams stays a member until its session times
     * out (45 s), and the appointments of its partitions wait that long for another instance to take them.
     */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
