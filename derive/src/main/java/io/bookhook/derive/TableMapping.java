package io.bookhook.derive;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the booking app names its tables, columns and statuses. The defaults are the reference schema of a
 * Django booking app; an existing app maps its own names through settings.
 *
 * <p>{@code idColumn} and {@code phoneColumn} are the defaults for every table; {@code idColumns} and {@code phoneColumns}
 * override them for one table (keyed by the table's name), so a customer phone in {@code mobile} and a salon phone in
 * {@code tel} can both be masked.
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
        String confirmedStatus,
        Map<String, String> idColumns,
        Map<String, String> phoneColumns) {

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
        idColumns = idColumns == null ? Map.of() : Map.copyOf(idColumns);
        phoneColumns = phoneColumns == null ? Map.of() : Map.copyOf(phoneColumns);
    }

    /** One id column and one phone column for every table. */
    public TableMapping(String appointmentTable, String customerTable, String salonTable, String stylistTable, String serviceTable,
                        String idColumn, String statusColumn, String customerIdColumn, String salonIdColumn, String stylistIdColumn,
                        String serviceIdColumn, String phoneColumn, String pendingStatus, String confirmedStatus) {
        this(appointmentTable, customerTable, salonTable, stylistTable, serviceTable, idColumn, statusColumn, customerIdColumn,
                salonIdColumn, stylistIdColumn, serviceIdColumn, phoneColumn, pendingStatus, confirmedStatus, Map.of(), Map.of());
    }

    public static TableMapping referenceSchema() {
        return new TableMapping("appointments_appointment", "appointments_customer", "appointments_salon",
                "appointments_stylist", "appointments_service", "id", "status", "customer_id", "salon_id",
                "stylist_id", "service_id", "phone", "pending", "confirmed");
    }

    /** The primary-key column of a mapped table: its own when set, else {@link #idColumn()}. */
    public String idColumnOf(String table) {
        return idColumns.getOrDefault(table, idColumn);
    }

    /** The phone column of a mapped table, masked in every payload: its own when set, else {@link #phoneColumn()}. */
    public String phoneColumnOf(String table) {
        return phoneColumns.getOrDefault(table, phoneColumn);
    }

    /** The appointment table's primary-key column: the appointment id of events and idempotency keys. */
    public String appointmentIdColumn() {
        return idColumnOf(appointmentTable);
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
