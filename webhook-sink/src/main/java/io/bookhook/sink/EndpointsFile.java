package io.bookhook.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.bookhook.schemas.EventType;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads {@code BOOKHOOK_ENDPOINTS_FILE}: a YAML list of endpoints (see the README). Every problem stops the sink at
 * start with one line naming the endpoint and the key. Secrets are never in the file, only the names of the variables
 * that hold them, and no secret's value appears in a message.
 */
public final class EndpointsFile {

    static final List<String> KEYS = List.of("name", "url", "secret_env", "signature", "standard_secrets_env", "events", "salons",
            "max_in_flight", "rate_per_second");

    private static final String FILE = SinkVariables.ENDPOINTS_FILE.name();

    private EndpointsFile() {
    }

    /** {@code variables} looks up the variables the file names (and records that they were read). */
    public static List<EndpointSettings> read(Path file, Function<String, Optional<String>> variables) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(FILE + ": cannot read " + file + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        return parse(text, file.toString(), variables);
    }

    static List<EndpointSettings> parse(String yaml, String where, Function<String, Optional<String>> variables) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            String line = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new IllegalArgumentException(FILE + ": " + where + " is not valid YAML" + line + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("endpoints").isArray() || root.path("endpoints").isEmpty()) {
            throw new IllegalArgumentException(FILE + ": " + where + " must hold a top-level 'endpoints:' list with at least one endpoint");
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals("endpoints")) {
                throw new IllegalArgumentException(FILE + ": unknown top-level key '" + key + "' (expected endpoints)");
            }
        }
        List<EndpointSettings> endpoints = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int number = 0;
        for (JsonNode node : root.path("endpoints")) {
            number++;
            EndpointSettings endpoint = endpoint(node, number, variables);
            Integer first = seen.putIfAbsent(endpoint.name(), number);
            if (first != null) {
                throw new IllegalArgumentException(FILE + ": endpoint '" + endpoint.name() + "' is named twice (#" + first + " and #"
                        + number + ")");
            }
            endpoints.add(endpoint);
        }
        return List.copyOf(endpoints);
    }

    private static EndpointSettings endpoint(JsonNode node, int number, Function<String, Optional<String>> variables) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(FILE + ": endpoint #" + number + " must be a mapping of keys (name, url, …)");
        }
        String name = text(node.get("name"));
        if (name == null) {
            throw new IllegalArgumentException(FILE + ": endpoint #" + number + " has no name");
        }
        if (!name.matches("[a-z0-9-]{1,40}")) {
            throw new IllegalArgumentException(FILE + ": endpoint #" + number + ": name '" + name + "' must match [a-z0-9-]{1,40}");
        }
        String at = FILE + ": endpoint '" + name + "': ";
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(at + "unknown key '" + key + "' (expected one of " + String.join(", ", KEYS) + ")");
            }
        }
        URI url = url(node.get("url"), at);
        SignatureMode mode = SignatureMode.MAKE;
        String signature = text(node.get("signature"));
        if (signature != null) {
            try {
                mode = SignatureMode.parse(signature);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + "signature must be make, standard or both, was '" + signature + "'");
            }
        }
        String secret = mode.make() ? variable(node, "secret_env", at, variables) : null;
        List<String> standardSecrets = mode.standard()
                ? Arrays.stream(variable(node, "standard_secrets_env", at, variables).split(",")).map(String::strip)
                        .filter(s -> !s.isEmpty()).toList()
                : List.of();
        return new EndpointSettings(EndpointSettings.Origin.FILE, name, url, secret, mode, standardSecrets, events(node.get("events"), at),
                salons(node.get("salons"), at), maxInFlight(node.get("max_in_flight"), at), rate(node.get("rate_per_second"), at));
    }

    private static URI url(JsonNode node, String at) {
        String raw = text(node);
        if (raw == null) {
            throw new IllegalArgumentException(at + "url is required");
        }
        try {
            return new URI(raw);
        } catch (URISyntaxException e) {
            // The value is not echoed: webhook URLs carry a token in their path.
            throw new IllegalArgumentException(at + "url is not a valid URL (" + e.getReason() + ")");
        }
    }

    /** The value of the variable that {@code key} names; never shown. */
    private static String variable(JsonNode node, String key, String at, Function<String, Optional<String>> variables) {
        String name = text(node.get(key));
        if (name == null) {
            throw new IllegalArgumentException(at + key + " is required (the name of the variable that holds the secret)");
        }
        return variables.apply(name).orElseThrow(() -> new IllegalArgumentException(at + key + " names " + name + ", which is not set"));
    }

    private static Set<EventType> events(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return Set.of();
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException(at + "events must be a list of event types (created, confirmed)");
        }
        Set<EventType> types = new LinkedHashSet<>();
        for (JsonNode item : node) {
            String wire = item.asText();
            try {
                types.add(EventType.fromWireName(wire));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(at + "events has unknown event type '" + wire + "' (known: "
                        + Arrays.stream(EventType.values()).map(EventType::wireName).collect(Collectors.joining(", ")) + ")");
            }
        }
        return types;
    }

    private static Set<String> salons(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return Set.of();
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException(at + "salons must be a list of salon ids");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode item : node) {
            if (!item.isValueNode() || item.isNull() || item.asText().isBlank()) {
                throw new IllegalArgumentException(at + "salons must be a list of salon ids");
            }
            ids.add(item.asText());
        }
        return ids;
    }

    private static int maxInFlight(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return SinkSettings.DEFAULT_MAX_IN_FLIGHT;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1 || node.asInt() > EndpointSettings.MAX_MAX_IN_FLIGHT) {
            throw new IllegalArgumentException(at + "max_in_flight must be a whole number from 1 to " + EndpointSettings.MAX_MAX_IN_FLIGHT
                    + ", was " + node.asText());
        }
        return node.asInt();
    }

    private static double rate(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isNumber() || node.asDouble() <= 0 || node.asDouble() > EndpointSettings.MAX_RATE_PER_SECOND) {
            throw new IllegalArgumentException(at + "rate_per_second must be a positive number up to "
                    + (long) EndpointSettings.MAX_RATE_PER_SECOND + ", was " + node.asText());
        }
        return node.asDouble();
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || !node.isValueNode() || node.asText().isBlank() ? null : node.asText().strip();
    }
}
