package io.bookhook.derive;

import java.util.List;
import java.util.Objects;

/**
 * How the booking app names its tables, columns and statuses. The defaults are the reference schema of a
 * Django booking app; an existing app maps its own names through settings.
 */
public record TableMapping(
        String appointmentTable,
        String customerTable,
        String salonTable,
        String stylistTable,
        String serviceTable,
        String idColumn,
        String statusColumn,
        String customerIdColumn,
        String salonIdColumn,
        String stylistIdColumn,
        String serviceIdColumn,
        String phoneColumn,
        String pendingStatus,
        String confirmedStatus) {

    public TableMapping {
        Objects.requireNonNull(appointmentTable, "appointmentTable");
        Objects.requireNonNull(customerTable, "customerTable");
        Objects.requireNonNull(salonTable, "salonTable");
        Objects.requireNonNull(stylistTable, "stylistTable");
        Objects.requireNonNull(serviceTable, "serviceTable");
        Objects.requireNonNull(idColumn, "idColumn");
        Objects.requireNonNull(statusColumn, "statusColumn");
        Objects.requireNonNull(customerIdColumn, "customerIdColumn");
        Objects.requireNonNull(salonIdColumn, "salonIdColumn");
        Objects.requireNonNull(stylistIdColumn, "stylistIdColumn");
        Objects.requireNonNull(serviceIdColumn, "serviceIdColumn");
        Objects.requireNonNull(phoneColumn, "phoneColumn");
        Objects.requireNonNull(pendingStatus, "pendingStatus");
        Objects.requireNonNull(confirmedStatus, "confirmedStatus");
    }

    public static TableMapping referenceSchema() {
        return new TableMapping("appointments_appointment", "appointments_customer", "appointments_salon",
                "appointments_stylist", "appointments_service", "id", "status", "customer_id", "salon_id",
                "stylist_id", "service_id", "phone", "pending", "confirmed");
    }

    /** Every table capture must read, the appointment table first. */
    public List<String> capturedTables() {
        return List.of(appointmentTable, customerTable, salonTable, stylistTable, serviceTable);
    }

    /** The appointment columns besides the id that every appointment row must have (its status, its related rows' keys). */
    public List<String> requiredAppointmentColumns() {
        return List.of(statusColumn, customerIdColumn, salonIdColumn, stylistIdColumn, serviceIdColumn);
    }

    /** The related tables and the appointment column that points at each, in payload order. */
    public List<Relation> relations() {
        return List.of(
                new Relation("customer", customerTable, customerIdColumn),
                new Relation("salon", salonTable, salonIdColumn),
                new Relation("stylist", stylistTable, stylistIdColumn),
                new Relation("service", serviceTable, serviceIdColumn));
    }

    /** A payload part ({@code customer}), the table that holds it, and the appointment's foreign-key column. */
    public record Relation(String part, String table, String foreignKeyColumn) {
    }
}
