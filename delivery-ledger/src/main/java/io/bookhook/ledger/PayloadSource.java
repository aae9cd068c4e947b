package io.bookhook.ledger;

import io.bookhook.schemas.AppointmentEvent;
import java.util.List;

/**
 * Where a resend rebuilds a payload the ledger no longer holds (aged out, or erased by {@code bookhook forget}): the
 * booking app's rows as they are now, when the command can reach them.
 */
public interface PayloadSource {

    /**
     * The appointment's events as its rows derive them now, created before confirmed; empty when the source has no such
     * appointment. Throws an {@link OperatorException} when the source cannot be read.
     */
    List<AppointmentEvent> events(String appointmentId);

    /** What it is, for the operator's messages ("the booking app's rows in Postgres db at host:5432"). */
    String description();
}
