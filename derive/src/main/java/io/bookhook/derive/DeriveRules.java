package io.bookhook.derive;

import io.bookhook.schemas.EventType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which events one appointment change derives, given what was already derived for that appointment. Like the
 * seed's {@code webhook_created_sent} / {@code webhook_confirmed_sent} flags, each event type is derived at
 * most once per appointment, whatever the status does later.
 */
final class DeriveRules {

    private final String pendingStatus;
    private final String confirmedStatus;

    DeriveRules(String pendingStatus, String confirmedStatus) {
        this.pendingStatus = pendingStatus;
        this.confirmedStatus = confirmedStatus;
    }

    /** What this change derives, in order, and what is derived (or must never be) for the appointment afterwards. */
    Outcome apply(RawChange.Operation op, String status, Set<EventType> alreadyDerived) {
        EnumSet<EventType> derived = alreadyDerived.isEmpty() ? EnumSet.noneOf(EventType.class) : EnumSet.copyOf(alreadyDerived);
        List<EventType> emit = new ArrayList<>(2);
        switch (op) {
            case SNAPSHOT_READ -> {
                // A row that existed before capture started was created already, and confirmed if it says so:
                // a snapshot (first or re-run) must never flood the receiver.
                derived.add(EventType.CREATED);
                if (confirmedStatus.equals(status)) {
                    derived.add(EventType.CONFIRMED);
                }
            }
            case CREATE -> {
                boolean confirmed = confirmedStatus.equals(status);
                if ((pendingStatus.equals(status) || confirmed) && derived.add(EventType.CREATED)) {
                    emit.add(EventType.CREATED);
                }
                if (confirmed && derived.add(EventType.CONFIRMED)) {
                    emit.add(EventType.CONFIRMED);
                }
            }
            case UPDATE -> {
                if (confirmedStatus.equals(status) && derived.add(EventType.CONFIRMED)) {
                    emit.add(EventType.CONFIRMED);
                }
            }
            default -> {
                // deletes, truncates and logical messages derive nothing
            }
        }
        return new Outcome(List.copyOf(emit), derived);
    }

    record Outcome(List<EventType> emit, Set<EventType> derived) {
    }
}
