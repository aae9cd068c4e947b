package io.bookhook.derive;

import io.bookhook.runtime.settings.InvalidSettingException;
import io.bookhook.runtime.settings.Setting;
import io.bookhook.runtime.settings.SettingsReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The variables that map the booking app's tables, columns and statuses ({@link TableMapping}); their defaults are the
 * reference schema. Capture, derive and the sink read them, and backfill with its own column
 * {@link #CREATED_AT_COLUMN}.
 */
public final class TableMappingSettings {

    private static final TableMapping REFERENCE = TableMapping.referenceSchema();

    public static final Setting<String> APPOINTMENT_TABLE = Setting.text("BOOKHOOK_TABLE_APPOINTMENT", REFERENCE.appointmentTable());
    public static final Setting<String> CUSTOMER_TABLE = Setting.text("BOOKHOOK_TABLE_CUSTOMER", REFERENCE.customerTable());
    public static final Setting<String> SALON_TABLE = Setting.text("BOOKHOOK_TABLE_SALON", REFERENCE.salonTable());
    public static final Setting<String> STYLIST_TABLE = Setting.text("BOOKHOOK_TABLE_STYLIST", REFERENCE.stylistTable());
    public static final Setting<String> SERVICE_TABLE = Setting.text("BOOKHOOK_TABLE_SERVICE", REFERENCE.serviceTable());
    public static final Setting<String> ID_COLUMN = Setting.text("BOOKHOOK_COLUMN_ID", REFERENCE.idColumn());
    public static final Setting<String> STATUS_COLUMN = Setting.text("BOOKHOOK_COLUMN_STATUS", REFERENCE.statusColumn());
    public static final Setting<String> CUSTOMER_ID_COLUMN = Setting.text("BOOKHOOK_COLUMN_CUSTOMER_ID", REFERENCE.customerIdColumn());
    public static final Setting<String> SALON_ID_COLUMN = Setting.text("BOOKHOOK_COLUMN_SALON_ID", REFERENCE.salonIdColumn());
    public static final Setting<String> STYLIST_ID_COLUMN = Setting.text("BOOKHOOK_COLUMN_STYLIST_ID", REFERENCE.stylistIdColumn());
    public static final Setting<String> SERVICE_ID_COLUMN = Setting.text("BOOKHOOK_COLUMN_SERVICE_ID", REFERENCE.serviceIdColumn());
    public static final Setting<String> PHONE_COLUMN = Setting.text("BOOKHOOK_COLUMN_PHONE", REFERENCE.phoneColumn());
    public static final Setting<String> PENDING_STATUS = Setting.text("BOOKHOOK_STATUS_PENDING", REFERENCE.pendingStatus());
    public static final Setting<String> CONFIRMED_STATUS = Setting.text("BOOKHOOK_STATUS_CONFIRMED", REFERENCE.confirmedStatus());
    /** Backfill's: the appointment column that says when a booking was made. */
    public static final Setting<String> CREATED_AT_COLUMN = Setting.text("BOOKHOOK_COLUMN_CREATED_AT", "created_at");

    /** The tables in payload order: appointment, customer, salon, stylist, service. */
    private static final List<Setting<String>> TABLES = List.of(APPOINTMENT_TABLE, CUSTOMER_TABLE, SALON_TABLE, STYLIST_TABLE, SERVICE_TABLE);
    /**
     * One table's id and phone column: {@code BOOKHOOK_COLUMN_ID_<PART>} and {@code BOOKHOOK_COLUMN_PHONE_<PART>}, in the
     * order of {@link #TABLES} (BOOKHOOK_COLUMN_CUSTOMER_ID already names the appointment's foreign key to the customer,
     * hence the suffix). Unset, the table has the global column.
     */
    public static final List<Setting<String>> ID_COLUMN_OF_TABLE = perTable(ID_COLUMN);
    public static final List<Setting<String>> PHONE_COLUMN_OF_TABLE = perTable(PHONE_COLUMN);

    /** Every variable of the mapping (not backfill's {@link #CREATED_AT_COLUMN}). */
    public static final List<Setting<?>> DECLARED = Stream.of(TABLES.stream(),
            Stream.of(ID_COLUMN, STATUS_COLUMN, CUSTOMER_ID_COLUMN, SALON_ID_COLUMN, STYLIST_ID_COLUMN, SERVICE_ID_COLUMN, PHONE_COLUMN),
            ID_COLUMN_OF_TABLE.stream(), PHONE_COLUMN_OF_TABLE.stream(), Stream.of(PENDING_STATUS, CONFIRMED_STATUS))
            .<Setting<?>>flatMap(s -> s).toList();

    private final SettingsReader env;

    public TableMappingSettings(SettingsReader env) {
        this.env = env;
    }

    private static List<Setting<String>> perTable(Setting<String> global) {
        return TABLES.stream().map(table -> Setting.optionalText(
                global.name() + "_" + table.name().substring("BOOKHOOK_TABLE_".length()), global.name())).toList();
    }

    public TableMapping mapping() {
        return new TableMapping(env.get(APPOINTMENT_TABLE), env.get(CUSTOMER_TABLE), env.get(SALON_TABLE), env.get(STYLIST_TABLE),
                env.get(SERVICE_TABLE), env.get(ID_COLUMN), env.get(STATUS_COLUMN), env.get(CUSTOMER_ID_COLUMN),
                env.get(SALON_ID_COLUMN), env.get(STYLIST_ID_COLUMN), env.get(SERVICE_ID_COLUMN), env.get(PHONE_COLUMN),
                env.get(PENDING_STATUS), env.get(CONFIRMED_STATUS), perTableColumns(ID_COLUMN_OF_TABLE), perTableColumns(PHONE_COLUMN_OF_TABLE));
    }

    private List<String> tables() {
        return TABLES.stream().map(env::get).toList();
    }

    /** The per-table settings that are set, keyed by their table. Two parts in one table must not name it two different columns. */
    private Map<String, String> perTableColumns(List<Setting<String>> settings) {
        List<String> tables = tables();
        Map<String, String> columns = new HashMap<>();
        Map<String, String> namedBy = new HashMap<>();
        for (int i = 0; i < settings.size(); i++) {
            Setting<String> setting = settings.get(i);
            String table = tables.get(i);
            Optional<String> column = env.find(setting);
            if (column.isEmpty()) {
                continue;
            }
            String earlier = columns.putIfAbsent(table, column.get());
            if (earlier != null && !earlier.equals(column.get())) {
                throw new InvalidSettingException(setting.name() + " names column '" + column.get() + "' of table " + table + ", which "
                        + namedBy.get(table) + " names '" + earlier + "'");
            }
            namedBy.putIfAbsent(table, setting.name());
        }
        return columns;
    }

    /** The setting that named a table's id or phone column: its own, when set, else the global one. */
    private String settingOf(Setting<String> global, List<Setting<String>> perTable, String table, Map<String, String> columns) {
        if (!columns.containsKey(table)) {
            return global.name();
        }
        List<String> tables = tables();
        for (int i = 0; i < perTable.size(); i++) {
            if (tables.get(i).equals(table) && env.find(perTable.get(i)).isPresent()) {
                return perTable.get(i).name();
            }
        }
        return global.name();
    }

    /**
     * Every table and column the mapping names, with the setting that named it. Phone columns are optional (a service
     * has none), except one named for its table alone: a misspelt one would send the real phone number unmasked.
     */
    public List<NamedByMapping> namedTablesAndColumns() {
        TableMapping m = mapping();
        List<NamedByMapping> requirements = new ArrayList<>();
        requirements.add(NamedByMapping.table(m.appointmentTable(), APPOINTMENT_TABLE.name()));
        requirements.add(NamedByMapping.table(m.customerTable(), CUSTOMER_TABLE.name()));
        requirements.add(NamedByMapping.table(m.salonTable(), SALON_TABLE.name()));
        requirements.add(NamedByMapping.table(m.stylistTable(), STYLIST_TABLE.name()));
        requirements.add(NamedByMapping.table(m.serviceTable(), SERVICE_TABLE.name()));
        requirements.add(NamedByMapping.column(m.appointmentTable(), m.appointmentIdColumn(),
                settingOf(ID_COLUMN, ID_COLUMN_OF_TABLE, m.appointmentTable(), m.idColumns())));
        requirements.add(NamedByMapping.column(m.appointmentTable(), m.statusColumn(), STATUS_COLUMN.name()));
        requirements.add(NamedByMapping.column(m.appointmentTable(), m.customerIdColumn(), CUSTOMER_ID_COLUMN.name()));
        requirements.add(NamedByMapping.column(m.appointmentTable(), m.salonIdColumn(), SALON_ID_COLUMN.name()));
        requirements.add(NamedByMapping.column(m.appointmentTable(), m.stylistIdColumn(), STYLIST_ID_COLUMN.name()));
        requirements.add(NamedByMapping.column(m.appointmentTable(), m.serviceIdColumn(), SERVICE_ID_COLUMN.name()));
        for (TableMapping.Relation relation : m.relations()) {
            requirements.add(NamedByMapping.column(relation.table(), m.idColumnOf(relation.table()),
                    settingOf(ID_COLUMN, ID_COLUMN_OF_TABLE, relation.table(), m.idColumns())));
        }
        for (String table : m.capturedTables()) {
            if (m.phoneColumns().containsKey(table)) {
                requirements.add(NamedByMapping.column(table, m.phoneColumnOf(table),
                        settingOf(PHONE_COLUMN, PHONE_COLUMN_OF_TABLE, table, m.phoneColumns())));
            }
        }
        return requirements.stream().distinct().toList();
    }

    /** A table (column null) or a column the mapping names, with the setting that named it. */
    public record NamedByMapping(String table, String column, String setting) {

        static NamedByMapping table(String table, String setting) {
            return new NamedByMapping(table, null, setting);
        }

        static NamedByMapping column(String table, String column, String setting) {
            return new NamedByMapping(table, column, setting);
        }
    }
}
