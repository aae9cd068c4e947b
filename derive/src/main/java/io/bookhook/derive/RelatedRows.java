package io.bookhook.derive;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Finds a related row (customer, salon, stylist, service) by its table and id, as captured so far. */
@FunctionalInterface
public interface RelatedRows {

    /** The row, or null when it has not reached the topology (or was deleted); shared, so copy it before changing it. */
    ObjectNode find(String table, String id);
}
