package io.bookhook.capture;

import java.util.Objects;

/**
 * A table, or a column of a table, that the configured mapping relies on, with the setting that named it, so
 * a mapping that names something missing stops capture at start with one line an operator can act on.
 *
 * @param column null when the requirement is the table itself
 */
public record SchemaRequirement(String table, String column, String setting) {

    public SchemaRequirement {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(setting, "setting");
    }

    public static SchemaRequirement table(String table, String setting) {
        return new SchemaRequirement(table, null, setting);
    }

    public static SchemaRequirement column(String table, String column, String setting) {
        return new SchemaRequirement(table, Objects.requireNonNull(column, "column"), setting);
    }
}
