package io.bookhook.derive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bookhook.schemas.AppointmentEvent;
import io.bookhook.schemas.EventHeaders;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.JsonSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Derives created / confirmed events from the appointment change stream. What was derived per appointment
 * lives in a state store (never in the booking app's tables, never inferred from a before-image), so each
 * event type leaves once. Events wait in a second store, in order per appointment, until their related rows
 * have arrived or the grace time ran out; the appointments with waiting events are also kept in memory, so they are
 * looked at again every few milliseconds without scanning the store.
 */
final class AppointmentDeriver implements Processor<byte[], byte[], Object, Object> {

    static final String STATE_STORE = "appointment-state";
    static final String PENDING_STORE = "pending-events";
    /**
     * How soon a waiting event notices that its related rows arrived. Scheduled only while something waits: each
     * punctuation also makes Kafka Streams halve how many records it processes between two looks at the clock.
     */
    private static final Duration RECHECK_EVERY = Duration.ofMillis(20);
    /** How often, and how many states at most each time, the retention sweep looks at: bounded work per punctuation. */
    static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    static final int SWEEP_BATCH = 10_000;

    private final TableMapping mapping;
    private final DeriveRules rules;
    private final EventAssembler assembler;
    private final Duration grace;
    private final DeriveMetrics metrics;

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, AppointmentState> states;
    private KeyValueStore<String, PendingEvent.Queue> pending;
    private RelatedRows relatedRows;
    /** Appointments with events in the pending store; the store is the truth, this saves scanning it. */
    private final Set<String> waitingAppointments = new LinkedHashSet<>();
    private Cancellable recheck;
    private final Duration stateRetention;
    private final int maxRecordBytes;
    private final Serializer<AppointmentState> stateBytes = JsonSerde.of(AppointmentState.class).serializer();
    private final Serializer<PendingEvent.Queue> queueBytes = JsonSerde.of(PendingEvent.Queue.class).serializer();

    AppointmentDeriver(TableMapping mapping, Duration grace, DeriveMetrics metrics) {
        this(mapping, grace, Duration.ZERO, OversizedEventGuard.DEFAULT_MAX_REQUEST_SIZE, metrics);
    }

    /**
     * {@code stateRetention}: how long an appointment's state outlives its last change; zero keeps it for ever. {@code
     * maxRecordBytes}: the producer's limit, which the stores' changelog records must stay under too.
     */
    AppointmentDeriver(TableMapping mapping, Duration grace, Duration stateRetention, int maxRecordBytes, DeriveMetrics metrics) {
        this.stateRetention = stateRetention;
        this.maxRecordBytes = maxRecordBytes;
        this.metrics = metrics;
        this.mapping = mapping;
        this.rules = new DeriveRules(mapping.pendingStatus(), mapping.confirmedStatus());
        this.assembler = new EventAssembler(mapping);
        this.grace = grace;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.states = context.getStateStore(STATE_STORE);
        this.pending = context.getStateStore(PENDING_STORE);
        this.relatedRows = new RelatedRowStores(context, mapping);
        try (KeyValueIterator<String, PendingEvent.Queue> all = pending.all()) {
            all.forEachRemaining(entry -> waitingAppointments.add(entry.key));
        }
        scheduleRecheck();
        if (!stateRetention.isZero()) {
            StateRetentionSweep sweep = new StateRetentionSweep(states, stateRetention, waitingAppointments::contains, metrics);
            context.schedule(SWEEP_EVERY, PunctuationType.WALL_CLOCK_TIME, sweep::sweep);
        }
    }

    /** Rechecks waiting events every {@link #RECHECK_EVERY} while there are any, and not at all when there are none. */
    private void scheduleRecheck() {
        if (!waitingAppointments.isEmpty() && recheck == null) {
            recheck = context.schedule(RECHECK_EVERY, PunctuationType.WALL_CLOCK_TIME, this::flushWaiting);
        } else if (waitingAppointments.isEmpty() && recheck != null) {
            recheck.cancel();
            recheck = null;
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return; // the tombstone after a delete: nothing to derive
        }
        try {
            derive(RawChange.parse(record.value()), record.timestamp(), record.value().length);
        } catch (BadChangeException.TooLarge e) {
            metrics.deadLetteredTooLarge();
            context.forward(new Record<>(record.key(), (byte[]) null, record.timestamp(),
                    DeadLetterSource.headers(record.headers(), e.getMessage(), context.recordMetadata().orElse(null))), DeriveTopology.DEAD_LETTER_SINK);
        } catch (BadChangeException e) {
            if (e instanceof BadChangeException.MissingColumns) {
                metrics.deadLetteredMissingColumns();
            } else {
                metrics.deadLettered();
            }
            context.forward(record.withHeaders(DeadLetterSource.headers(record.headers(), e.getMessage(), context.recordMetadata().orElse(null))),
                    DeriveTopology.DEAD_LETTER_SINK);
        }
    }

    /** {@code capturedAtMillis}: the raw record's timestamp, set when capture wrote it. */
    private void derive(RawChange change, long capturedAtMillis, int changeBytes) throws BadChangeException, BadChangeException.TooLarge {
        if (change.op() == RawChange.Operation.DELETE) {
            forget(change.before());
            return;
        }
        if (change.op() == RawChange.Operation.TRUNCATE || change.op() == RawChange.Operation.MESSAGE) {
            return;
        }
        ObjectNode changed = change.after();
        if (changed == null) {
            throw new BadChangeException("change of " + mapping.appointmentTable() + " has no row after it");
        }
        AppointmentRow checked = AppointmentRow.of(changed, mapping);
        String id = checked.id();
        AppointmentState state = Optional.ofNullable(states.get(id)).orElseGet(AppointmentState::empty);
        ObjectNode row = state.complete(changed);
        DeriveRules.Outcome outcome = rules.apply(change.op(), checked.status(), state.derived());
        long now = context.currentSystemTimeMs();
        AppointmentState next = new AppointmentState(outcome.derived(), row, now);
        List<PendingEvent> queue = new ArrayList<>(waitingAppointments.contains(id) ? queueOf(id) : List.of());
        for (EventType type : outcome.emit()) {
            queue.add(new PendingEvent(type, change.commitTime(), row, now, capturedAtMillis));
        }
        // The stores hold the row (the waiting events once each), and their changelogs go through the producer's limit:
        // a record over it would fail the transaction, and derive, again on every restart. Only a large change can.
        if (2L * changeBytes + 1024 > maxRecordBytes) {
            requireStorable(id, "state", stateBytes.serialize(null, next));
            if (!outcome.emit().isEmpty()) {
                requireStorable(id, "waiting events", queueBytes.serialize(null, new PendingEvent.Queue(queue)));
            }
        }
        states.put(id, next);
        if (outcome.emit().isEmpty()) {
            return;
        }
        metrics.queued(outcome.emit().size());
        flush(id, queue, now, false);
    }

    private void requireStorable(String id, String what, byte[] value) throws BadChangeException.TooLarge {
        long size = OversizedEventGuard.recordSizeUpperBound(id.getBytes(StandardCharsets.UTF_8), value, new Header[0]);
        if (size > maxRecordBytes) {
            throw new BadChangeException.TooLarge(String.format(Locale.ROOT, "appointment %s's %s would be a record of %,d bytes in derive's"
                    + " store, over the %,d-byte limit (BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES)", id, what, size, maxRecordBytes));
        }
    }

    /**
     * A deleted appointment's state goes with it (its waiting events, if any, still go out). Postgres does not reuse
     * the id of a deleted row, so nothing can need that state again.
     */
    private void forget(ObjectNode before) {
        String id = before == null ? null : AppointmentRow.idOf(before, mapping);
        if (id != null && states.delete(id) != null) {
            metrics.stateDropped("deleted");
        }
    }

    private void flushWaiting(long now) {
        for (String appointmentId : List.copyOf(waitingAppointments)) {
            flush(appointmentId, queueOf(appointmentId), now, true);
        }
    }

    /**
     * Emits the head of the queue while it can be assembled; what is left keeps its order for the next try.
     * {@code stored}: the queue is exactly what the pending store holds, so nothing is written when nothing left.
     */
    private void flush(String appointmentId, List<PendingEvent> queue, long now, boolean stored) {
        int sent = 0;
        for (PendingEvent event : queue) {
            boolean graceExpired = now - event.waitingSinceMillis() >= grace.toMillis();
            Optional<AppointmentEvent> assembled = assembler.assemble(event, relatedRows, graceExpired);
            if (assembled.isEmpty()) {
                break;
            }
            AppointmentEvent out = assembled.get();
            metrics.derived(out);
            long derivedAt = System.currentTimeMillis();
            metrics.spans(event.occurredAt().toEpochMilli(), event.capturedAtMillis(), derivedAt);
            RecordHeaders headers = new RecordHeaders();
            headers.add(EventHeaders.DERIVED_AT, EventHeaders.millis(derivedAt));
            context.forward(new Record<>(out.idempotencyKey(), out, event.occurredAt().toEpochMilli(), headers), DeriveTopology.EVENTS_SINK);
            sent++;
        }
        if (sent < queue.size()) {
            if (sent > 0 || !stored) {
                pending.put(appointmentId, new PendingEvent.Queue(queue.subList(sent, queue.size())));
            }
            waitingAppointments.add(appointmentId);
        } else if (waitingAppointments.remove(appointmentId)) {
            pending.delete(appointmentId);
        }
        scheduleRecheck();
    }

    private List<PendingEvent> queueOf(String appointmentId) {
        PendingEvent.Queue queue = pending.get(appointmentId);
        return queue == null ? List.of() : queue.events();
    }
}
